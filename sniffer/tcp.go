package sniffer

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/sniffer/decode"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

// maxStreamBuffer bounds one direction's reassembly buffer: one maximal
// DNS message and its length prefix.
const maxStreamBuffer = 2 + 65535

// streamKey is one direction of a TCP connection.
type streamKey struct {
	src, dst         netip.Addr
	srcPort, dstPort uint16
}

// tcpStream reassembles one direction of DNS over TCP: 2-byte length
// prefixed messages that may span segments.
type tcpStream struct {
	next    uint32 // sequence number expected next
	started bool
	buf     []byte
}

// tcpDNS feeds the current TCP segment to its stream and queues an event
// for every DNS message it completes.
func (d *Decoder) tcpDNS(ts time.Time, f *flow.Flow) {
	p := &d.pkt
	k := streamKey{p.SrcIP, p.DstIP, p.SrcPort, p.DstPort}
	if p.TCPFlags&decode.FlagRST != 0 {
		d.streams.Delete(k)
		return
	}
	s, _ := d.streams.GetOrInsert(k)
	seq, data := p.Seq, p.Payload
	if p.TCPFlags&decode.FlagSYN != 0 {
		s.next, s.started, s.buf = seq+1, true, s.buf[:0]
		seq++
	}
	if len(data) > 0 {
		d.segment(ts, s, seq, data, f)
	}
	if p.TCPFlags&decode.FlagFIN != 0 {
		if len(s.buf) > 0 {
			d.reject("dns over tcp incomplete", "stream closed mid-message")
		}
		d.streams.Delete(k)
	}
}

func (d *Decoder) segment(ts time.Time, s *tcpStream, seq uint32, data []byte, f *flow.Flow) {
	if !s.started { // joined mid-stream: trust the first segment seen
		s.next, s.started = seq, true
	}
	switch delta := int32(seq - s.next); {
	case delta > 0:
		d.reject("dns over tcp gap", "missing segment")
		s.buf, s.next = s.buf[:0], seq
	case delta < 0: // retransmission or overlap: keep only the new part
		if -int(delta) >= len(data) {
			return
		}
		data = data[-delta:]
	}
	s.next += uint32(len(data))
	if len(s.buf)+len(data) > maxStreamBuffer {
		d.reject("dns over tcp oversized", "")
		s.buf = s.buf[:0]
		return
	}
	s.buf = append(s.buf, data...)
	d.drainStream(ts, s, f)
}

// drainStream decodes every complete message at the front of s.buf.
func (d *Decoder) drainStream(ts time.Time, s *tcpStream, f *flow.Flow) {
	off := 0
	for len(s.buf)-off >= 2 {
		n := int(binary.BigEndian.Uint16(s.buf[off:]))
		if len(s.buf)-off-2 < n {
			break
		}
		d.dnsMessage(ts, s.buf[off+2:off+2+n], f)
		off += 2 + n
	}
	if off > 0 {
		s.buf = s.buf[:copy(s.buf, s.buf[off:])]
	}
}
