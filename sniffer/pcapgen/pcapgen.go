// Package pcapgen writes synthetic captures for the sniffer's tests and
// benchmarks: IP packets built with gopacket's layers, framed for any link
// type the sniffer reads, written with pcapgo (pcap or pcapng). It must
// never be used outside tests, benchmarks and generators.
package pcapgen

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Link types the generator frames packets for (LINKTYPE_* values).
const (
	Ethernet     = 1
	EthernetVLAN = -1 // Ethernet with an 802.1Q tag (file link type 1)
	Null         = 0
	Raw          = 101
	Loop         = 108
	SLL          = 113
	SLL2         = 276
)

type packetWriter interface {
	WritePacket(ci gopacket.CaptureInfo, data []byte) error
}

// Writer writes framed packets to a capture file.
type Writer struct {
	link  int
	w     packetWriter
	ng    *pcapgo.NgWriter
	buf   gopacket.SerializeBuffer
	frame []byte
}

// NewWriter starts a pcap file (pcapng when ng) on w for link.
func NewWriter(w io.Writer, link int, ng bool) (*Writer, error) {
	fileLink := link
	if link == EthernetVLAN {
		fileLink = Ethernet
	}
	g := &Writer{link: link, buf: gopacket.NewSerializeBuffer()}
	if ng {
		nw, err := pcapgo.NewNgWriter(w, layers.LinkType(fileLink))
		if err != nil {
			return nil, err
		}
		g.w, g.ng = nw, nw
		return g, nil
	}
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(65535, layers.LinkType(fileLink)); err != nil {
		return nil, err
	}
	g.w = pw
	return g, nil
}

// Flush flushes a pcapng writer (pcap writes through).
func (g *Writer) Flush() error {
	if g.ng != nil {
		return g.ng.Flush()
	}
	return nil
}

// Endpoints are a packet's addresses and ports.
type Endpoints struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
}

// Reverse swaps source and destination.
func (e Endpoints) Reverse() Endpoints {
	return Endpoints{Src: e.Dst, Dst: e.Src, SrcPort: e.DstPort, DstPort: e.SrcPort}
}

// UDP writes one UDP datagram.
func (g *Writer) UDP(ts time.Time, e Endpoints, payload []byte) error {
	udp := &layers.UDP{SrcPort: layers.UDPPort(e.SrcPort), DstPort: layers.UDPPort(e.DstPort)}
	return g.ip(ts, e, layers.IPProtocolUDP, udp, payload)
}

// TCP writes one TCP segment; flags is a string of S A F R P.
func (g *Writer) TCP(ts time.Time, e Endpoints, seq, ack uint32, flags string, payload []byte) error {
	tcp := &layers.TCP{SrcPort: layers.TCPPort(e.SrcPort), DstPort: layers.TCPPort(e.DstPort), Seq: seq, Ack: ack, Window: 65535}
	for _, f := range flags {
		switch f {
		case 'S':
			tcp.SYN = true
		case 'A':
			tcp.ACK = true
		case 'F':
			tcp.FIN = true
		case 'R':
			tcp.RST = true
		case 'P':
			tcp.PSH = true
		}
	}
	return g.ip(ts, e, layers.IPProtocolTCP, tcp, payload)
}

// ICMPEcho writes an echo request (or reply) over ICMPv4 or ICMPv6.
func (g *Writer) ICMPEcho(ts time.Time, e Endpoints, reply bool, id, seq uint16, payload []byte) error {
	if e.Src.Is4() {
		typ := uint8(layers.ICMPv4TypeEchoRequest)
		if reply {
			typ = layers.ICMPv4TypeEchoReply
		}
		ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}
		return g.ip(ts, e, layers.IPProtocolICMPv4, ic, payload)
	}
	typ := uint8(layers.ICMPv6TypeEchoRequest)
	if reply {
		typ = layers.ICMPv6TypeEchoReply
	}
	ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
	echo := &layers.ICMPv6Echo{Identifier: id, SeqNumber: seq}
	return g.ip(ts, e, layers.IPProtocolICMPv6, ic, append(echoBytes(echo), payload...))
}

func echoBytes(e *layers.ICMPv6Echo) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint16(b, e.Identifier)
	binary.BigEndian.PutUint16(b[2:], e.SeqNumber)
	return b
}

type transport interface {
	gopacket.SerializableLayer
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

// ip serialises IP, the transport layer and payload, frames and writes it.
func (g *Writer) ip(ts time.Time, e Endpoints, proto layers.IPProtocol, tr gopacket.SerializableLayer, payload []byte) error {
	var ip gopacket.SerializableLayer
	if e.Src.Is4() {
		v4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.IP(e.Src.AsSlice()), DstIP: net.IP(e.Dst.AsSlice())}
		ip = v4
		if t, ok := tr.(transport); ok {
			t.SetNetworkLayerForChecksum(v4)
		}
	} else {
		v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: net.IP(e.Src.AsSlice()), DstIP: net.IP(e.Dst.AsSlice())}
		ip = v6
		if t, ok := tr.(transport); ok {
			t.SetNetworkLayerForChecksum(v6)
		}
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(g.buf, opts, ip, tr, gopacket.Payload(payload)); err != nil {
		return err
	}
	return g.Raw(ts, g.buf.Bytes())
}

// Raw frames an IP packet for the writer's link type and writes it.
func (g *Writer) Raw(ts time.Time, ipPacket []byte) error {
	v6 := len(ipPacket) > 0 && ipPacket[0]>>4 == 6
	g.frame = append(g.frame[:0], linkHeader(g.link, v6)...)
	g.frame = append(g.frame, ipPacket...)
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(g.frame), Length: len(g.frame)}
	return g.w.WritePacket(ci, g.frame)
}

// linkHeader returns the link-layer header for an IPv4 or IPv6 packet.
func linkHeader(link int, v6 bool) []byte {
	et := []byte{0x08, 0x00}
	if v6 {
		et = []byte{0x86, 0xdd}
	}
	macs := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}
	switch link {
	case Ethernet:
		return append(macs, et...)
	case EthernetVLAN:
		return append(append(macs, 0x81, 0x00, 0x00, 0x2a), et...)
	case SLL:
		h := []byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}
		return append(h, et...)
	case SLL2:
		h := append([]byte{}, et...)
		h = append(h, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0)
		return h
	case Null:
		if v6 {
			return []byte{30, 0, 0, 0} // little endian, BSD AF_INET6
		}
		return []byte{2, 0, 0, 0}
	case Loop:
		if v6 {
			return []byte{0, 0, 0, 24}
		}
		return []byte{0, 0, 0, 2}
	case Raw:
		return nil
	}
	panic(fmt.Sprintf("pcapgen: link type %d", link))
}

// DNSQuery returns a DNS query message for name.
func DNSQuery(id uint16, name string, qtype layers.DNSType) []byte {
	d := &layers.DNS{ID: id, RD: true, QDCount: 1,
		Questions: []layers.DNSQuestion{{Name: []byte(name), Type: qtype, Class: layers.DNSClassIN}}}
	return serializeDNS(d)
}

// DNSResponse returns a response to a query for name with the given A or
// AAAA answers, all with ttl, and rcode.
func DNSResponse(id uint16, name string, qtype layers.DNSType, rcode layers.DNSResponseCode, ttl uint32, answers ...netip.Addr) []byte {
	d := &layers.DNS{ID: id, QR: true, RD: true, RA: true, ResponseCode: rcode, QDCount: 1,
		Questions: []layers.DNSQuestion{{Name: []byte(name), Type: qtype, Class: layers.DNSClassIN}}}
	for _, a := range answers {
		rr := layers.DNSResourceRecord{Name: []byte(name), Class: layers.DNSClassIN, TTL: ttl, IP: net.IP(a.AsSlice())}
		rr.Type = layers.DNSTypeA
		if a.Is6() {
			rr.Type = layers.DNSTypeAAAA
		}
		d.Answers = append(d.Answers, rr)
	}
	d.ANCount = uint16(len(d.Answers))
	return serializeDNS(d)
}

func serializeDNS(d *layers.DNS) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := d.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		panic(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// TCPDNS prefixes a DNS message with its 2-byte length (DNS over TCP).
func TCPDNS(msg []byte) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(msg))), msg...)
}

// Fragments4 splits an IPv4 packet into fragments whose payloads hold at
// most size bytes (a multiple of 8).
func Fragments4(packet []byte, size int) [][]byte {
	ihl := int(packet[0]&0x0f) * 4
	hdr, payload := packet[:ihl], packet[ihl:]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append(append([]byte(nil), hdr...), payload[off:end]...)
		binary.BigEndian.PutUint16(f[2:], uint16(len(f)))
		flags := uint16(off / 8)
		if end < len(payload) {
			flags |= 0x2000
		}
		binary.BigEndian.PutUint16(f[6:], flags)
		f[10], f[11] = 0, 0
		binary.BigEndian.PutUint16(f[10:], checksum(f[:ihl]))
		out = append(out, f)
	}
	return out
}

func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// UDPPacket returns the bytes of an IP packet carrying one UDP datagram.
func UDPPacket(e Endpoints, id uint16, payload []byte) []byte {
	udp := &layers.UDP{SrcPort: layers.UDPPort(e.SrcPort), DstPort: layers.UDPPort(e.DstPort)}
	v4 := &layers.IPv4{Version: 4, TTL: 64, Id: id, Protocol: layers.IPProtocolUDP, SrcIP: net.IP(e.Src.AsSlice()), DstIP: net.IP(e.Dst.AsSlice())}
	udp.SetNetworkLayerForChecksum(v4)
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, v4, udp, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}
