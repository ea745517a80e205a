// Package decode parses captured frames (link layer, IPv4/IPv6, TCP, UDP,
// ICMP) and DNS messages into caller-owned structs without allocating. It
// keeps no state between packets and does no I/O: flow tracking, TCP
// reassembly and record building live in the sniffer package.
package decode

import (
	"encoding/binary"
	"net/netip"
)

// Link types as libpcap reports them (DLT_*) and as files store them
// (LINKTYPE_*); both spellings are accepted where they differ.
const (
	LinkNull     = 0   // BSD loopback, host byte order family
	LinkEthernet = 1   // Ethernet II
	LinkRawDLT   = 12  // raw IP (DLT_RAW on Linux)
	LinkRawBSD   = 14  // raw IP (DLT_RAW on OpenBSD)
	LinkRaw      = 101 // raw IP (LINKTYPE_RAW)
	LinkLoop     = 108 // OpenBSD loopback, network byte order family
	LinkSLL      = 113 // Linux cooked capture v1
	LinkIPv4     = 228
	LinkIPv6     = 229
	LinkSLL2     = 276 // Linux cooked capture v2
)

// IP protocol numbers the decoder understands.
const (
	ProtoICMP   = 1
	ProtoTCP    = 6
	ProtoUDP    = 17
	ProtoICMPv6 = 58
)

// TCP flag bits as they appear in the header.
const (
	FlagFIN = 0x01
	FlagSYN = 0x02
	FlagRST = 0x04
	FlagPSH = 0x08
	FlagACK = 0x10
)

// Error is a decoding failure. Its text is short and stable so that it can
// be used as a counter key.
type Error string

func (e Error) Error() string { return string(e) }

// Decoding failures. ErrNotIP and ErrUnsupported mark packets that are fine
// but carry nothing nfr reads; the others mark malformed packets.
const (
	ErrNotIP          Error = "not ip"
	ErrUnsupported    Error = "unsupported link type"
	ErrTruncatedLink  Error = "truncated link header"
	ErrTruncatedIP    Error = "truncated ip header"
	ErrBadIP          Error = "bad ip header"
	ErrTruncatedTrans Error = "truncated transport header"
	ErrBadTCP         Error = "bad tcp header"
)

// Packet is one decoded frame. Payload and IPPayload alias the frame's
// bytes: they are valid only as long as the frame is.
type Packet struct {
	SrcIP, DstIP     netip.Addr
	Proto            uint8
	SrcPort, DstPort uint16
	// IPLen is the IP datagram length (header included) as announced.
	IPLen int
	// Fragment is set for every piece of a fragmented datagram; FragID,
	// FragOffset and MoreFrags then describe it and IPPayload holds the
	// piece. Transport fields are filled only for the first piece.
	Fragment   bool
	FragID     uint32
	FragOffset int
	MoreFrags  bool
	IPPayload  []byte

	TCPFlags uint8
	Seq      uint32

	ICMPType, ICMPCode uint8
	ICMPID, ICMPSeq    uint16

	// Payload is the transport payload (TCP or UDP data, the ICMP body
	// after the 8-byte header).
	Payload []byte
}

// Frame decodes one captured frame of the given link type into p.
func Frame(linkType int, data []byte, p *Packet) error {
	*p = Packet{}
	switch linkType {
	case LinkEthernet:
		return ethernet(data, p)
	case LinkSLL:
		if len(data) < 16 {
			return ErrTruncatedLink
		}
		return etherType(binary.BigEndian.Uint16(data[14:]), data[16:], p)
	case LinkSLL2:
		if len(data) < 20 {
			return ErrTruncatedLink
		}
		return etherType(binary.BigEndian.Uint16(data[0:]), data[20:], p)
	case LinkRawDLT, LinkRawBSD, LinkRaw:
		return rawIP(data, p)
	case LinkIPv4:
		return IPv4(data, p)
	case LinkIPv6:
		return IPv6(data, p)
	case LinkNull, LinkLoop:
		return loopback(data, p)
	}
	return ErrUnsupported
}

func ethernet(data []byte, p *Packet) error {
	if len(data) < 14 {
		return ErrTruncatedLink
	}
	return etherType(binary.BigEndian.Uint16(data[12:]), data[14:], p)
}

// etherType dispatches on an EtherType, unwrapping up to three VLAN tags.
func etherType(et uint16, data []byte, p *Packet) error {
	for range 3 {
		if et != 0x8100 && et != 0x88a8 && et != 0x9100 {
			break
		}
		if len(data) < 4 {
			return ErrTruncatedLink
		}
		et = binary.BigEndian.Uint16(data[2:])
		data = data[4:]
	}
	switch et {
	case 0x0800:
		return IPv4(data, p)
	case 0x86dd:
		return IPv6(data, p)
	case 0x8864: // PPPoE session: 6-byte header, then a PPP protocol number
		if len(data) < 8 {
			return ErrTruncatedLink
		}
		switch binary.BigEndian.Uint16(data[6:]) {
		case 0x0021:
			return IPv4(data[8:], p)
		case 0x0057:
			return IPv6(data[8:], p)
		}
	case 0x8847, 0x8848: // MPLS: pop labels to the bottom of the stack
		for len(data) >= 4 {
			bottom := data[2]&1 != 0
			data = data[4:]
			if bottom {
				return rawIP(data, p)
			}
		}
		return ErrTruncatedLink
	}
	return ErrNotIP
}

func rawIP(data []byte, p *Packet) error {
	if len(data) == 0 {
		return ErrTruncatedIP
	}
	switch data[0] >> 4 {
	case 4:
		return IPv4(data, p)
	case 6:
		return IPv6(data, p)
	}
	return ErrBadIP
}

// loopback handles DLT_NULL and DLT_LOOP: a 4-byte address family in
// either byte order.
func loopback(data []byte, p *Packet) error {
	if len(data) < 4 {
		return ErrTruncatedLink
	}
	fam := binary.LittleEndian.Uint32(data)
	if fam > 0xffff {
		fam = binary.BigEndian.Uint32(data)
	}
	switch fam {
	case 2:
		return IPv4(data[4:], p)
	case 10, 24, 28, 30:
		return IPv6(data[4:], p)
	}
	return ErrNotIP
}

// IPv4 decodes an IPv4 datagram.
func IPv4(data []byte, p *Packet) error {
	if len(data) < 20 {
		return ErrTruncatedIP
	}
	if data[0]>>4 != 4 {
		return ErrBadIP
	}
	ihl := int(data[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(data[2:]))
	if ihl < 20 || total < ihl || len(data) < ihl {
		return ErrBadIP
	}
	if total < len(data) {
		data = data[:total] // drop Ethernet padding
	}
	p.IPLen = total
	p.SrcIP = netip.AddrFrom4([4]byte(data[12:16]))
	p.DstIP = netip.AddrFrom4([4]byte(data[16:20]))
	p.Proto = data[9]
	frag := binary.BigEndian.Uint16(data[6:])
	p.IPPayload = data[ihl:]
	if frag&0x3fff != 0 {
		p.Fragment = true
		p.FragID = uint32(binary.BigEndian.Uint16(data[4:]))
		p.FragOffset = int(frag&0x1fff) * 8
		p.MoreFrags = frag&0x2000 != 0
		if p.FragOffset != 0 {
			return nil
		}
	}
	return Transport(p.Proto, data[ihl:], p)
}

// IPv6 decodes an IPv6 packet, walking extension headers.
func IPv6(data []byte, p *Packet) error {
	if len(data) < 40 {
		return ErrTruncatedIP
	}
	if data[0]>>4 != 6 {
		return ErrBadIP
	}
	plen := int(binary.BigEndian.Uint16(data[4:]))
	if 40+plen < len(data) {
		data = data[:40+plen]
	}
	p.IPLen = 40 + plen
	p.SrcIP = netip.AddrFrom16([16]byte(data[8:24]))
	p.DstIP = netip.AddrFrom16([16]byte(data[24:40]))
	next := data[6]
	rest := data[40:]
	for range 8 {
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(rest) < 8 {
				return ErrTruncatedIP
			}
			n := (int(rest[1]) + 1) * 8
			if len(rest) < n {
				return ErrTruncatedIP
			}
			next, rest = rest[0], rest[n:]
			continue
		case 44: // fragment
			if len(rest) < 8 {
				return ErrTruncatedIP
			}
			off := binary.BigEndian.Uint16(rest[2:])
			p.Fragment = true
			p.FragOffset = int(off &^ 7)
			p.MoreFrags = off&1 != 0
			p.FragID = binary.BigEndian.Uint32(rest[4:])
			next, rest = rest[0], rest[8:]
			p.Proto = next
			p.IPPayload = rest
			if p.FragOffset != 0 {
				return nil
			}
			if !p.MoreFrags && p.FragOffset == 0 {
				p.Fragment = false // atomic fragment: a whole datagram
			}
			continue
		}
		break
	}
	p.Proto = next
	p.IPPayload = rest
	return Transport(next, rest, p)
}

// Transport decodes the TCP, UDP or ICMP header at the start of data.
// Other protocols leave the ports zero and Payload nil.
func Transport(proto uint8, data []byte, p *Packet) error {
	switch proto {
	case ProtoUDP:
		if len(data) < 8 {
			return ErrTruncatedTrans
		}
		p.SrcPort = binary.BigEndian.Uint16(data)
		p.DstPort = binary.BigEndian.Uint16(data[2:])
		n := int(binary.BigEndian.Uint16(data[4:]))
		if n >= 8 && n < len(data) && !p.Fragment {
			data = data[:n]
		}
		p.Payload = data[8:]
	case ProtoTCP:
		if len(data) < 20 {
			return ErrTruncatedTrans
		}
		p.SrcPort = binary.BigEndian.Uint16(data)
		p.DstPort = binary.BigEndian.Uint16(data[2:])
		p.Seq = binary.BigEndian.Uint32(data[4:])
		off := int(data[12]>>4) * 4
		if off < 20 {
			return ErrBadTCP
		}
		if off > len(data) {
			return ErrTruncatedTrans
		}
		p.TCPFlags = data[13]
		p.Payload = data[off:]
	case ProtoICMP, ProtoICMPv6:
		if len(data) < 4 {
			return ErrTruncatedTrans
		}
		p.ICMPType, p.ICMPCode = data[0], data[1]
		if len(data) >= 8 {
			p.ICMPID = binary.BigEndian.Uint16(data[4:])
			p.ICMPSeq = binary.BigEndian.Uint16(data[6:])
			p.Payload = data[8:]
		}
	}
	return nil
}
