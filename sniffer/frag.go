package sniffer

import (
	"net/netip"
	"time"

	"github.com/netflightrecorder/nfr/sniffer/decode"
)

// maxDatagram bounds a reassembled IP datagram's payload.
const maxDatagram = 65535

type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8
}

// fragment collects the pieces of one IP datagram. Overlapping pieces are
// not checked: the datagram completes when as many bytes as its length
// have arrived.
type fragment struct {
	buf   []byte
	have  int
	total int // payload length, 0 until the last piece is seen
	first bool
}

// reassemble adds the current piece to its datagram. When the datagram is
// complete it decodes its transport header into d.pkt and returns true.
func (d *Decoder) reassemble(ts time.Time) bool {
	p := &d.pkt
	k := fragKey{p.SrcIP, p.DstIP, p.FragID, p.Proto}
	end := p.FragOffset + len(p.IPPayload)
	if end > maxDatagram {
		d.frags.Delete(k)
		d.reject("ip fragment oversized", "")
		return false
	}
	fr, _ := d.frags.GetOrInsert(k)
	if len(fr.buf) < end {
		fr.buf = append(fr.buf, make([]byte, end-len(fr.buf))...)
	}
	copy(fr.buf[p.FragOffset:], p.IPPayload)
	fr.have += len(p.IPPayload)
	fr.first = fr.first || p.FragOffset == 0
	if !p.MoreFrags {
		fr.total = end
	}
	if fr.total == 0 || fr.have < fr.total || !fr.first {
		d.stats.Skip("ip fragment")
		d.flows.Expire(ts)
		return false
	}
	payload := fr.buf[:fr.total]
	d.frags.Delete(k)
	p.Fragment = false
	if err := decode.Transport(p.Proto, payload, p); err != nil {
		d.reject(err.Error(), "reassembled datagram")
		return false
	}
	p.IPPayload = payload
	return true
}
