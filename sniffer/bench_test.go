package sniffer_test

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// readFrames returns the packets of the pcap in buf.
func readFrames(b *testing.B, buf *bytes.Buffer) [][]byte {
	r, err := pcapgo.NewReader(buf)
	if err != nil {
		b.Fatal(err)
	}
	var frames [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			return frames
		}
		if err != nil {
			b.Fatal(err)
		}
		frames = append(frames, data)
	}
}

// dnsFrames returns Ethernet frames of n query/response pairs over names
// distinct names, from 50 clients.
func dnsFrames(b *testing.B, n, names int) [][]byte {
	var buf bytes.Buffer
	w, err := pcapgen.NewWriter(&buf, pcapgen.Ethernet, false)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("host%d.example.com", i%names)
		e := pcapgen.Endpoints{Src: netip.AddrFrom4([4]byte{10, 0, 0, byte(i % 50)}), Dst: client.Dst, SrcPort: 40000, DstPort: 53}
		must(b, w.UDP(t0, e, pcapgen.DNSQuery(uint16(i), name, layers.DNSTypeA)))
		must(b, w.UDP(t0, e.Reverse(), pcapgen.DNSResponse(uint16(i), name, layers.DNSTypeA, 0, 60, netip.MustParseAddr("192.0.2.1"))))
	}
	return readFrames(b, &buf)
}

// BenchmarkDecodeDNS measures the decoding path per packet: frame to
// events (DNS message, flow accounting, RTT pairing), events drained.
func BenchmarkDecodeDNS(b *testing.B) { benchFrames(b, dnsFrames(b, 500, 100), nil) }

// BenchmarkDecodeAndEncodeDNS adds the msgpack record of every event.
func BenchmarkDecodeAndEncodeDNS(b *testing.B) {
	var out []byte
	benchFrames(b, dnsFrames(b, 500, 100), func(ev *scoring.Event) { out = sniffer.AppendRecord(out[:0], ev) })
}

// benchFrames times decoding frames, one a loop, draining every event
// (into each, when not nil).
func benchFrames(b *testing.B, frames [][]byte, each func(*scoring.Event)) {
	d := sniffer.NewDecoder("bench", sniffer.Options{})
	var ev scoring.Event
	ts := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ts = ts.Add(time.Microsecond)
		d.Packet(ts, 1, frames[i%len(frames)])
		for {
			if ok, _ := d.Next(&ev); !ok {
				break
			}
			if each != nil {
				each(&ev)
			}
		}
	}
}

// BenchmarkAppendJSON encodes one DNS response as NDJSON.
func BenchmarkAppendJSON(b *testing.B) {
	ev := scoring.Event{Time: t0, Type: scoring.TypeDNS, SrcIP: client.Src, DstIP: client.Dst, SrcPort: 40000, DstPort: 53,
		Proto: scoring.ProtoUDP, DNS: scoring.DNS{Query: "www.example.com", QType: 1, Response: true, Rcode: 0,
			Answers: []string{"192.0.2.1"}, TTLs: []float64{60}, RTT: time.Millisecond, AnswerSize: 64}}
	var out []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		out = sniffer.AppendJSON(out[:0], &ev)
	}
}
