package sniffer_test

import (
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/decode"
	"github.com/netflightrecorder/nfr/sniffer/flow"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

// small keeps the decoder's tables (allocated up front) cheap to build per input.
var small = sniffer.Options{Flow: flow.Config{MaxFlows: 64}, MaxPendingQueries: 64, MaxTCPStreams: 16, MaxFragments: 16}

// FuzzDecoder feeds arbitrary raw-IP frames to the decoder (and its
// events to both encoders): it must never panic, and every frame is
// accounted for as an event source, a skip or a counted error.
func FuzzDecoder(f *testing.F) {
	e := pcapgen.Endpoints{Src: client.Src, Dst: client.Dst, SrcPort: 40000, DstPort: 53}
	f.Add(pcapgen.UDPPacket(e, 1, pcapgen.DNSQuery(1, "seed.example.com", layers.DNSTypeA)))
	f.Add(pcapgen.UDPPacket(e.Reverse(), 2, pcapgen.DNSResponse(1, "seed.example.com", layers.DNSTypeA, 0, 5, netip.MustParseAddr("192.0.2.1"))))
	f.Add(pcapgen.Fragments4(pcapgen.UDPPacket(e, 3, make([]byte, 100)), 64)[0])
	// Payloads the application identifiers recognise (sniffer/appid).
	wg := pcapgen.Endpoints{Src: client.Src, Dst: client.Dst, SrcPort: 43462, DstPort: 51820}
	f.Add(pcapgen.UDPPacket(wg, 4, append([]byte{1, 0, 0, 0}, make([]byte, 144)...)))
	f.Add(pcapgen.UDPPacket(wg, 5, []byte("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")))
	f.Fuzz(func(t *testing.T, frame []byte) {
		d := sniffer.NewDecoder("fuzz", small)
		var ev scoring.Event
		var out []byte
		for i := 0; i < 2; i++ { // twice: the second pass sees TCP and fragment state
			d.Packet(t0, decode.LinkRaw, frame)
			for {
				ok, err := d.Next(&ev)
				if !ok {
					break
				}
				if err == nil {
					out = sniffer.AppendRecord(out[:0], &ev)
					out = sniffer.AppendJSON(out[:0], &ev)
				}
			}
		}
		d.Flush()
		for ok, err := d.Next(&ev); ok; ok, err = d.Next(&ev) {
			if err == nil { // flow records, with their app fields
				out = sniffer.AppendRecord(out[:0], &ev)
				out = sniffer.AppendJSON(out[:0], &ev)
			}
		}
		if d.Stats().Lines != 2 {
			t.Fatalf("lines %d", d.Stats().Lines)
		}
	})
}

// FuzzDNS decodes arbitrary DNS messages.
func FuzzDNS(f *testing.F) {
	f.Add(pcapgen.DNSQuery(1, "seed.example.com", layers.DNSTypeTXT))
	f.Add(pcapgen.DNSResponse(1, "seed.example.com", layers.DNSTypeAAAA, 3, 5, netip.MustParseAddr("2001:db8::1")))
	var m decode.DNS
	f.Fuzz(func(t *testing.T, msg []byte) {
		if m.Decode(msg) == nil && len(m.Name) > 1024 {
			t.Fatalf("name of %d bytes", len(m.Name))
		}
	})
}
