package decode_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/sniffer/decode"
)

func unhex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	mac  = "020000000002 020000000001"
	ipv4 = "4500 0020 0001 0000 4011 0000 c0000201 c0000235" // 20 bytes, UDP, 32 total
	udp  = "9c40 0035 000c 0000 61626364"                    // 40000 -> 53, "abcd"
)

func TestEncapsulations(t *testing.T) {
	cases := map[string]struct {
		link  int
		frame string
	}{
		"pppoe":      {decode.LinkEthernet, mac + "8864 1100 0001 0022 0021" + ipv4 + udp},
		"mpls":       {decode.LinkEthernet, mac + "8847 00001000 00002140" + ipv4 + udp},
		"qinq":       {decode.LinkEthernet, mac + "88a8 0064 8100 00c8 0800" + ipv4 + udp},
		"ipv4 type":  {decode.LinkIPv4, ipv4 + udp},
		"padded eth": {decode.LinkEthernet, mac + "0800" + ipv4 + udp + "000000000000"},
	}
	for name, c := range cases {
		var p decode.Packet
		if err := decode.Frame(c.link, unhex(t, c.frame), &p); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.SrcIP.String() != "192.0.2.1" || p.DstPort != 53 || string(p.Payload) != "abcd" {
			t.Errorf("%s: %+v payload %q", name, p, p.Payload)
		}
	}
}

func TestIPv6ExtensionHeadersAndFragments(t *testing.T) {
	src := "20010db8000000000000000000000001"
	dst := "20010db8000000000000000000000002"
	// Hop-by-hop (8 bytes) then UDP.
	hop := "6000 0000 0014 00 40" + src + dst + "11 00 0000 00000000" + udp
	var p decode.Packet
	if err := decode.Frame(decode.LinkRaw, unhex(t, hop), &p); err != nil || p.DstPort != 53 || string(p.Payload) != "abcd" {
		t.Fatalf("hop-by-hop: %v %+v", err, p)
	}
	// A first fragment (offset 0, more) carries the UDP header; a later one does not.
	first := "6000 0000 0014 2c 40" + src + dst + "11 00 0001 0000abcd" + udp
	if err := decode.Frame(decode.LinkRaw, unhex(t, first), &p); err != nil || !p.Fragment || p.FragID != 0xabcd || !p.MoreFrags || p.DstPort != 53 {
		t.Fatalf("first fragment: %v %+v", err, p)
	}
	later := "6000 0000 000c 2c 40" + src + dst + "11 00 0010 0000abcd" + "61626364"
	if err := decode.Frame(decode.LinkRaw, unhex(t, later), &p); err != nil || !p.Fragment || p.FragOffset != 16 || p.MoreFrags || p.DstPort != 0 {
		t.Fatalf("later fragment: %v %+v", err, p)
	}
}

func TestNotIPAndTruncation(t *testing.T) {
	var p decode.Packet
	if err := decode.Frame(decode.LinkEthernet, unhex(t, mac+"0806"+"0001"), &p); err != decode.ErrNotIP {
		t.Errorf("arp: %v", err)
	}
	if err := decode.Frame(decode.LinkEthernet, unhex(t, "0200"), &p); err != decode.ErrTruncatedLink {
		t.Errorf("short: %v", err)
	}
	if err := decode.Frame(decode.LinkRaw, unhex(t, "4f00 0020"), &p); err != decode.ErrTruncatedIP {
		t.Errorf("short ip: %v", err)
	}
	if err := decode.Frame(147, nil, &p); err != decode.ErrUnsupported {
		t.Errorf("user link type: %v", err)
	}
}

func TestDNSNamesAndAnswers(t *testing.T) {
	// Response: www.example.com A, answers: CNAME (compressed) and TXT, authority NS.
	msg := "1234 8180 0001 0002 0001 0000" +
		"03777777076578616d706c6503636f6d00 0001 0001" + // question at offset 12
		"c00c 0005 0001 0000003c 0006 03636463c010" + // CNAME cdc.example.com
		"c00c 0010 0001 0000000a 0008 0368656c 03796f75" + // TXT "hel" "you"
		"c010 0002 0001 00000e10 0006 036e7331c010" // NS ns1.example.com
	var d decode.DNS
	if err := d.Decode(unhex(t, msg)); err != nil || d.SectionErr != nil {
		t.Fatalf("%v %v", err, d.SectionErr)
	}
	if string(d.Name) != "www.example.com" || !d.Response || !d.RD || !d.RA || d.Rcode != 0 {
		t.Fatalf("%+v", d)
	}
	if len(d.Answers) != 2 || string(d.Answers[0].Data) != "cdc.example.com" || d.Answers[0].TTL != 60 || string(d.Answers[1].Data) != "hel you" {
		t.Fatalf("answers %+v", d.Answers)
	}
	if len(d.Authority) != 1 || string(d.Authority[0]) != "ns1.example.com" {
		t.Fatalf("authority %q", d.Authority)
	}
	// A truncated answer section keeps the question.
	cut := unhex(t, msg)
	if err := d.Decode(cut[:40]); err != nil || d.SectionErr != decode.ErrDNSTruncated || string(d.Name) != "www.example.com" {
		t.Fatalf("truncated: %v %v %q", err, d.SectionErr, d.Name)
	}
}

func TestDNSDecodeDoesNotAllocate(t *testing.T) {
	msg := unhex(t, "1234 0100 0001 0000 0000 0000 03777777076578616d706c6503636f6d00 0001 0001")
	var d decode.DNS
	d.Decode(msg)
	if n := testing.AllocsPerRun(100, func() { d.Decode(msg) }); n != 0 {
		t.Fatalf("%v allocs per message", n)
	}
}
