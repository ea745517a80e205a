package decode

import (
	"encoding/binary"
	"net/netip"
)

// DNS decoding failures.
const (
	ErrDNSShort       Error = "dns header truncated"
	ErrDNSTruncated   Error = "dns message truncated"
	ErrDNSPointerLoop Error = "dns name pointer loop"
	ErrDNSBadLabel    Error = "dns bad label type"
	ErrDNSNameLong    Error = "dns name too long"
	ErrDNSNoQuestion  Error = "dns no question"
)

// maxNameText bounds a decoded name's text (RFC 1035 allows 255 octets on
// the wire; escapes are the caller's business).
const maxNameText = 1024

// Limits on the records kept per message, to bound work on hostile input.
const (
	maxAnswers   = 64
	maxAuthority = 16
)

// Answer is one resource record of the answer section in text form.
// Data aliases DNS.arena.
type Answer struct {
	Type uint16
	TTL  uint32
	Data []byte
}

// DNS is one decoded DNS message. Its slices are reused between calls to
// Decode and alias an internal arena: copy what must outlive the next call.
type DNS struct {
	ID               uint16
	Response         bool
	Opcode           uint8
	AA, TC, RD, RA   bool
	Rcode            uint8
	QDCount, ANCount uint16
	NSCount, ARCount uint16
	Name             []byte // first question's name, labels joined by '.'; empty for the root
	QType, QClass    uint16
	Answers          []Answer
	Authority        [][]byte // NS names of the authority section
	Size             int      // message length in bytes
	// SectionErr is set when the question decoded but a later section did
	// not; Answers and Authority then hold what decoded before it.
	SectionErr error

	arena []byte
}

// Decode parses msg into d. It fails only when the header or the first
// question cannot be read; later damage is reported in SectionErr.
func (d *DNS) Decode(msg []byte) error {
	d.Answers, d.Authority, d.arena = d.Answers[:0], d.Authority[:0], d.arena[:0]
	d.Name, d.SectionErr = nil, nil
	if len(msg) < 12 {
		return ErrDNSShort
	}
	d.Size = len(msg)
	d.ID = binary.BigEndian.Uint16(msg)
	flags := binary.BigEndian.Uint16(msg[2:])
	d.Response = flags&0x8000 != 0
	d.Opcode = uint8(flags>>11) & 0x0f
	d.AA, d.TC = flags&0x0400 != 0, flags&0x0200 != 0
	d.RD, d.RA = flags&0x0100 != 0, flags&0x0080 != 0
	d.Rcode = uint8(flags & 0x0f)
	d.QDCount = binary.BigEndian.Uint16(msg[4:])
	d.ANCount = binary.BigEndian.Uint16(msg[6:])
	d.NSCount = binary.BigEndian.Uint16(msg[8:])
	d.ARCount = binary.BigEndian.Uint16(msg[10:])
	if d.QDCount == 0 {
		d.QType, d.QClass = 0, 0
		return ErrDNSNoQuestion
	}
	off, err := d.question(msg, 12)
	if err != nil {
		return err
	}
	d.SectionErr = d.records(msg, off)
	return nil
}

func (d *DNS) question(msg []byte, off int) (int, error) {
	start := len(d.arena)
	var err error
	d.arena, off, err = appendName(d.arena, msg, off)
	if err != nil {
		return 0, err
	}
	if off+4 > len(msg) {
		return 0, ErrDNSTruncated
	}
	d.Name = d.arena[start:len(d.arena):len(d.arena)]
	d.QType = binary.BigEndian.Uint16(msg[off:])
	d.QClass = binary.BigEndian.Uint16(msg[off+2:])
	off += 4
	for i := 1; i < int(d.QDCount); i++ { // skip further questions
		if off, err = skipName(msg, off); err != nil {
			return 0, err
		}
		if off += 4; off > len(msg) {
			return 0, ErrDNSTruncated
		}
	}
	return off, nil
}

// records reads the answer section and the NS names of the authority section.
func (d *DNS) records(msg []byte, off int) error {
	var err error
	for i := 0; i < int(d.ANCount); i++ {
		if off, err = d.answer(msg, off); err != nil {
			return err
		}
	}
	for i := 0; i < int(d.NSCount) && len(d.Authority) < maxAuthority; i++ {
		if off, err = d.authority(msg, off); err != nil {
			return err
		}
	}
	return nil
}

// rrHeader skips an owner name and reads type, TTL and the rdata bounds.
func rrHeader(msg []byte, off int) (typ uint16, ttl uint32, rdata, next int, err error) {
	if off, err = skipName(msg, off); err != nil {
		return
	}
	if off+10 > len(msg) {
		err = ErrDNSTruncated
		return
	}
	typ = binary.BigEndian.Uint16(msg[off:])
	ttl = binary.BigEndian.Uint32(msg[off+4:])
	n := int(binary.BigEndian.Uint16(msg[off+8:]))
	rdata, next = off+10, off+10+n
	if next > len(msg) {
		err = ErrDNSTruncated
	}
	return
}

func (d *DNS) answer(msg []byte, off int) (int, error) {
	typ, ttl, rd, next, err := rrHeader(msg, off)
	if err != nil {
		return 0, err
	}
	if len(d.Answers) >= maxAnswers {
		return next, nil
	}
	start := len(d.arena)
	d.arena, err = appendRData(d.arena, msg, typ, rd, next)
	if err != nil {
		return 0, err
	}
	if len(d.arena) > start || typ == 16 {
		d.Answers = append(d.Answers, Answer{Type: typ, TTL: ttl, Data: d.arena[start:len(d.arena):len(d.arena)]})
	}
	return next, nil
}

func (d *DNS) authority(msg []byte, off int) (int, error) {
	typ, _, rd, next, err := rrHeader(msg, off)
	if err != nil || typ != 2 {
		return next, err
	}
	start := len(d.arena)
	if d.arena, _, err = appendName(d.arena, msg, rd); err != nil {
		return 0, err
	}
	d.Authority = append(d.Authority, d.arena[start:len(d.arena):len(d.arena)])
	return next, nil
}

// appendRData appends the text form of the rdata in msg[rd:end] for the
// types nfr reads (A, AAAA, names, MX, TXT, SOA, SRV); others add nothing.
func appendRData(dst, msg []byte, typ uint16, rd, end int) ([]byte, error) {
	rdata := msg[rd:end]
	var err error
	switch typ {
	case 1: // A
		if len(rdata) == 4 {
			dst = netip.AddrFrom4([4]byte(rdata)).AppendTo(dst)
		}
	case 28: // AAAA
		if len(rdata) == 16 {
			dst = netip.AddrFrom16([16]byte(rdata)).AppendTo(dst)
		}
	case 2, 5, 12, 39: // NS, CNAME, PTR, DNAME
		dst, _, err = appendName(dst, msg[:end], rd)
	case 15: // MX: preference, exchange
		if len(rdata) > 2 {
			dst, _, err = appendName(dst, msg[:end], rd+2)
		}
	case 33: // SRV: priority, weight, port, target
		if len(rdata) > 6 {
			dst, _, err = appendName(dst, msg[:end], rd+6)
		}
	case 6: // SOA: mname first
		dst, _, err = appendName(dst, msg[:end], rd)
	case 16: // TXT: character-strings joined by spaces
		dst = appendTXT(dst, rdata)
	}
	return dst, err
}

func appendTXT(dst, rdata []byte) []byte {
	first := true
	for len(rdata) > 0 {
		n := int(rdata[0])
		if 1+n > len(rdata) {
			n = len(rdata) - 1
		}
		if !first {
			dst = append(dst, ' ')
		}
		dst = append(dst, rdata[1:1+n]...)
		rdata, first = rdata[1+n:], false
	}
	return dst
}

// appendName appends the dotted text of the (possibly compressed) name at
// msg[off:] and returns the offset just past the name in the original
// position. Pointers must point strictly backwards, which rules out loops.
func appendName(dst, msg []byte, off int) ([]byte, int, error) {
	start, end, jumped := len(dst), 0, false
	limit := off
	for {
		if off >= len(msg) {
			return dst[:start], 0, ErrDNSTruncated
		}
		l := int(msg[off])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				if !jumped {
					end = off + 1
				}
				return dst, end, nil
			}
			if off+1+l > len(msg) {
				return dst[:start], 0, ErrDNSTruncated
			}
			if len(dst) > start {
				dst = append(dst, '.')
			}
			dst = append(dst, msg[off+1:off+1+l]...)
			if len(dst)-start > maxNameText {
				return dst[:start], 0, ErrDNSNameLong
			}
			off += 1 + l
		case 0xc0:
			if off+2 > len(msg) {
				return dst[:start], 0, ErrDNSTruncated
			}
			ptr := int(binary.BigEndian.Uint16(msg[off:]) & 0x3fff)
			if !jumped {
				end, jumped = off+2, true
			}
			if ptr >= limit {
				return dst[:start], 0, ErrDNSPointerLoop
			}
			off, limit = ptr, ptr
		default:
			return dst[:start], 0, ErrDNSBadLabel
		}
	}
}

// skipName returns the offset just past the name at msg[off:] without
// following pointers.
func skipName(msg []byte, off int) (int, error) {
	for {
		if off >= len(msg) {
			return 0, ErrDNSTruncated
		}
		l := int(msg[off])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				return off + 1, nil
			}
			off += 1 + l
		case 0xc0:
			if off+2 > len(msg) {
				return 0, ErrDNSTruncated
			}
			return off + 2, nil
		default:
			return 0, ErrDNSBadLabel
		}
	}
}
