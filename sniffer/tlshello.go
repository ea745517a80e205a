package sniffer

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
	"github.com/netflightrecorder/nfr/sniffer/decode"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

// TLS handshake decoding: the ClientHello in the first payload a side of a
// TCP connection sends (any port), and the ServerHello in the other side's
// first payload. One TypeTLS event per handshake, with the SNI, the version,
// JA3 and (when the ServerHello was seen) JA3S. The event is queued when the
// ServerHello arrives, or, without one, when the flow is reported or the
// pending handshake is evicted. Only the cleartext hellos are read; nothing
// after them.

// OriginTLS is the Origin of the sniffer's TLS events.
const OriginTLS = "sniffer:tls"

// maxHelloBytes bounds a buffered ClientHello (one TLS record and its
// header): a hello split over segments is kept until complete, at most this.
const maxHelloBytes = 5 + 16384

// Malformed hellos are counted (Stats().Bad) under these reasons.
var (
	errTLSTruncated    = errors.New("tls hello truncated")
	errTLSBadLength    = errors.New("tls hello bad length")
	errTLSMultiRecord  = errors.New("tls hello spans records")
	errTLSIncomplete   = errors.New("tls hello incomplete")
	errTLSBadExtension = errors.New("tls hello bad extension")
)

// Handshake message types.
const (
	tlsClientHello = 1
	tlsServerHello = 2
)

// Extension types JA3 and the event read.
const (
	extServerName        = 0
	extSupportedGroups   = 10
	extECPointFormats    = 11
	extSupportedVersions = 43
	extALPN              = 16
)

// tlsHandshakes holds the handshakes whose ClientHello was seen and whose
// event is not queued yet, keyed client → server. Created on first use,
// bounded by Options.MaxTCPStreams.
type tlsHandshakes struct {
	pending *state.LRU[streamKey, tlsPending]
	str     []byte // JA3/JA3S string buffer
	hexBuf  [32]byte
}

// tlsPending is one handshake awaiting its ServerHello.
type tlsPending struct {
	ts      time.Time
	uid     string
	sni     string
	ja3     string
	version uint16 // highest version the client offered
	// A ClientHello split over segments: what is buffered so far, the
	// sequence number expected next and whether the hello is complete.
	buf      []byte
	next     uint32
	complete bool
}

// tlsSegment is the decoder's hook for every TCP segment: it reads the
// first payload each side sends, and buffered hello continuations.
func (d *Decoder) tlsSegment(ts time.Time, f *flow.Flow) {
	p := &d.pkt
	n := uint64(len(p.Payload))
	if n == 0 || f == nil {
		return
	}
	sent := f.RespBytes // bytes this side has sent, this segment included
	if p.SrcIP == f.OrigIP && p.SrcPort == f.OrigPort {
		sent = f.OrigBytes
	}
	first := sent == n
	if first && isHandshakeRecord(p.Payload, tlsClientHello) {
		d.clientHello(ts, f)
		return
	}
	if d.tls.pending == nil || d.tls.pending.Len() == 0 || sent-n >= maxHelloBytes {
		return
	}
	if h, ok := d.tls.pending.Peek(streamKey{p.SrcIP, p.DstIP, p.SrcPort, p.DstPort}); ok && !h.complete {
		d.helloContinued(h, f)
		return
	}
	if first {
		d.serverHello()
	}
}

// isHandshakeRecord reports whether b starts a TLS handshake record
// (SSL 3.0 to TLS 1.3 record versions) holding a message of type typ.
func isHandshakeRecord(b []byte, typ byte) bool {
	return len(b) >= 6 && b[0] == 22 && b[1] == 3 && b[2] <= 4 && b[5] == typ
}

// helloLength returns how many bytes of b make the record header and the
// whole first handshake message, or an error when the message cannot fit
// in the record.
func helloLength(b []byte) (int, error) {
	rec := int(b[3])<<8 | int(b[4])
	if len(b) < 9 {
		return 5 + 4, nil // ask for the handshake header
	}
	msg := int(b[6])<<16 | int(b[7])<<8 | int(b[8])
	if rec > 16384 || rec < 4 {
		return 0, errTLSBadLength
	}
	if 4+msg > rec {
		return 0, errTLSMultiRecord
	}
	return 5 + 4 + msg, nil
}

// clientHello starts a handshake at the client's first payload.
func (d *Decoder) clientHello(ts time.Time, f *flow.Flow) {
	p := &d.pkt
	if d.tls.pending == nil {
		d.tls.pending = state.NewLRUHash[streamKey, tlsPending](d.opts.MaxTCPStreams, hashStream, d.evictTLS)
	}
	k := streamKey{p.SrcIP, p.DstIP, p.SrcPort, p.DstPort}
	if old, ok := d.tls.pending.Peek(k); ok && old.complete {
		d.emitTLS(k, old, "", 0) // a new hello on the same connection
	}
	h, _ := d.tls.pending.GetOrInsert(k)
	*h = tlsPending{ts: ts, uid: f.UID, next: p.Seq + uint32(len(p.Payload))}
	need, err := helloLength(p.Payload)
	switch {
	case err != nil:
		d.tlsMalformed(k, err)
	case need <= len(p.Payload):
		d.finishClientHello(k, h, p.Payload[:need], f)
	default: // split: keep what we have until the rest arrives
		h.buf = append(h.buf, p.Payload...)
	}
}

// helloContinued appends a segment to a split ClientHello.
func (d *Decoder) helloContinued(h *tlsPending, f *flow.Flow) {
	p := &d.pkt
	k := streamKey{p.SrcIP, p.DstIP, p.SrcPort, p.DstPort}
	data := p.Payload
	if delta := int32(p.Seq - h.next); delta != 0 {
		if delta < 0 && -int(delta) >= len(data) {
			return // a retransmission of what we have
		}
		d.tlsMalformed(k, errTLSIncomplete) // gap or reordering: give up
		return
	}
	h.next += uint32(len(data))
	if len(h.buf)+len(data) > maxHelloBytes {
		d.tlsMalformed(k, errTLSBadLength)
		return
	}
	h.buf = append(h.buf, data...)
	need, err := helloLength(h.buf)
	switch {
	case err != nil:
		d.tlsMalformed(k, err)
	case need <= len(h.buf):
		d.finishClientHello(k, h, h.buf[:need], f)
	}
}

// finishClientHello parses a complete hello (record header included) of
// flow f.
func (d *Decoder) finishClientHello(k streamKey, h *tlsPending, b []byte, f *flow.Flow) {
	hello, err := parseHello(b[9:], true, d.tls.str[:0])
	d.tls.str = hello.str
	if err != nil {
		d.tlsMalformed(k, err)
		return
	}
	h.complete, h.buf = true, nil
	h.version = hello.version
	// The hello's strings live as long as its flow: copies, so that a
	// kept string does not hold an intern slab (formats/intern) alive.
	h.sni = strings.Clone(d.names.Get(hello.sni))
	d.torHello(f, k, &hello) // application identification: appid.go
	h.ja3 = strings.Clone(d.hexMD5(hello.str))
}

// serverHello reads the server's first payload for a pending handshake.
func (d *Decoder) serverHello() {
	p := &d.pkt
	k := streamKey{p.DstIP, p.SrcIP, p.DstPort, p.SrcPort}
	h, ok := d.tls.pending.Peek(k)
	if !ok || !h.complete {
		return
	}
	ja3s, version := "", uint16(0)
	if isHandshakeRecord(p.Payload, tlsServerHello) {
		need, err := helloLength(p.Payload)
		if err == nil && need > len(p.Payload) {
			err = errTLSTruncated
		}
		if err == nil {
			var hello helloInfo
			hello, err = parseHello(p.Payload[9:need], false, d.tls.str[:0])
			d.tls.str = hello.str
			if err == nil {
				ja3s, version = d.hexMD5(hello.str), hello.version
			}
		}
		if err != nil {
			d.stats.Reject(d.file, d.packets, err.Error(), "server hello")
		}
	}
	d.emitTLS(k, h, ja3s, version)
}

// tlsFlowEnd queues the event of a handshake whose flow is reported
// before a ServerHello was seen (hook in emitFlow).
func (d *Decoder) tlsFlowEnd(f *flow.Flow) {
	if d.tls.pending == nil || d.tls.pending.Len() == 0 || f.Proto != decode.ProtoTCP {
		return
	}
	for _, k := range [2]streamKey{{f.OrigIP, f.RespIP, f.OrigPort, f.RespPort}, {f.RespIP, f.OrigIP, f.RespPort, f.OrigPort}} {
		if h, ok := d.tls.pending.Peek(k); ok {
			if h.complete {
				d.emitTLS(k, h, "", 0)
			} else {
				d.stats.Reject(d.file, d.packets, errTLSIncomplete.Error(), "flow ended")
				d.tls.pending.Delete(k)
			}
		}
	}
}

// evictTLS reports a handshake pushed out of the full table.
func (d *Decoder) evictTLS(k streamKey, h *tlsPending) {
	if h.complete {
		d.queueTLS(k, h, "", 0)
	} else {
		d.stats.Reject(d.file, d.packets, errTLSIncomplete.Error(), "evicted")
	}
}

func (d *Decoder) tlsMalformed(k streamKey, err error) {
	d.stats.Reject(d.file, d.packets, err.Error(), "client hello")
	d.tls.pending.Delete(k)
}

// emitTLS queues the handshake's event and forgets it.
func (d *Decoder) emitTLS(k streamKey, h *tlsPending, ja3s string, serverVersion uint16) {
	d.queueTLS(k, h, ja3s, serverVersion)
	d.tls.pending.Delete(k)
}

func (d *Decoder) queueTLS(k streamKey, h *tlsPending, ja3s string, serverVersion uint16) {
	ev := d.newItem()
	ev.Time, ev.Type, ev.Origin, ev.UID = h.ts, scoring.TypeTLS, OriginTLS, h.uid
	ev.SrcIP, ev.DstIP, ev.SrcPort, ev.DstPort = k.src, k.dst, k.srcPort, k.dstPort
	ev.Proto = scoring.ProtoTCP
	version := h.version
	if serverVersion != 0 {
		version = serverVersion
	}
	ev.TLS.SNI, ev.TLS.JA3, ev.TLS.JA3S, ev.TLS.Version = h.sni, h.ja3, ja3s, tlsVersionName(version)
}

// hexMD5 returns the interned lower-case hex MD5 of s.
func (d *Decoder) hexMD5(s []byte) string {
	sum := md5.Sum(s)
	hex.Encode(d.tls.hexBuf[:], sum[:])
	return d.names.Get(d.tls.hexBuf[:])
}

// tlsVersionName names a protocol version as Zeek's ssl.log does.
func tlsVersionName(v uint16) string {
	switch v {
	case 0:
		return ""
	case 0x0200:
		return "SSLv2"
	case 0x0300:
		return "SSLv3"
	case 0x0301:
		return "TLSv10"
	case 0x0302:
		return "TLSv11"
	case 0x0303:
		return "TLSv12"
	case 0x0304:
		return "TLSv13"
	}
	return "unknown"
}

// isGREASE reports whether v is one of RFC 8701's reserved values
// (0x0a0a, 0x1a1a, ... 0xfafa), which JA3 ignores.
func isGREASE(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

// helloInfo is what parseHello reads from a ClientHello or ServerHello.
type helloInfo struct {
	sni     []byte // aliases the input
	alpn    bool   // the client offered ALPN
	version uint16 // client: highest offered; server: selected
	str     []byte // the JA3 (client) or JA3S (server) string
}

// tlsReader reads big-endian fields; a read past the end sets bad and
// yields zeros, so parsers check once at the end of a structure.
type tlsReader struct {
	b   []byte
	bad bool
}

func (r *tlsReader) bytes(n int) []byte {
	if n > len(r.b) {
		r.bad = true
		r.b = nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *tlsReader) u8() int {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return int(b[0])
}

func (r *tlsReader) u16() int {
	b := r.bytes(2)
	if b == nil {
		return 0
	}
	return int(b[0])<<8 | int(b[1])
}

func (r *tlsReader) vec8() []byte  { return r.bytes(r.u8()) }
func (r *tlsReader) vec16() []byte { return r.bytes(r.u16()) }

// parseHello parses a hello message body (after its 4-byte handshake
// header) and appends its JA3 (client) or JA3S (server) string to str:
// version,ciphers,extensions,groups,point formats (client) or
// version,cipher,extensions (server), decimal, GREASE values removed.
func parseHello(body []byte, client bool, str []byte) (helloInfo, error) {
	r := tlsReader{b: body}
	h := helloInfo{str: str}
	legacy := r.u16()
	r.bytes(32) // random
	r.vec8()    // session id
	var ciphers []byte
	if client {
		ciphers = r.vec16()
		r.vec8() // compression methods
	} else {
		ciphers = r.bytes(2)
		r.u8() // compression method
	}
	if r.bad || len(ciphers)%2 != 0 {
		return h, errTLSTruncated
	}
	var exts []byte
	if len(r.b) > 0 { // extensions are optional before TLS 1.2
		exts = r.vec16()
		if r.bad {
			return h, errTLSTruncated
		}
	}
	h.version = uint16(legacy)
	h.str = strconv.AppendUint(h.str, uint64(legacy), 10)
	h.str = append(h.str, ',')
	h.str = appendList16(h.str, ciphers)
	h.str = append(h.str, ',')
	groups, points, err := h.extensions(exts, client)
	if err != nil {
		return h, err
	}
	if client {
		h.str = append(h.str, ',')
		h.str = appendList16(h.str, groups)
		h.str = append(h.str, ',')
		for i, c := range points {
			if i > 0 {
				h.str = append(h.str, '-')
			}
			h.str = strconv.AppendUint(h.str, uint64(c), 10)
		}
	}
	return h, nil
}

// extensions appends the extension types to h.str and reads the SNI and
// versions; it returns the client's group and point format lists.
func (h *helloInfo) extensions(exts []byte, client bool) (groups, points []byte, err error) {
	r := tlsReader{b: exts}
	sep := false
	for len(r.b) > 0 {
		typ := uint16(r.u16())
		data := r.vec16()
		if r.bad {
			return nil, nil, errTLSBadExtension
		}
		if !isGREASE(typ) {
			if sep {
				h.str = append(h.str, '-')
			}
			h.str = strconv.AppendUint(h.str, uint64(typ), 10)
			sep = true
		}
		ok := true
		switch {
		case typ == extServerName && client:
			h.sni, ok = serverName(data)
		case typ == extSupportedGroups && client:
			v := tlsReader{b: data}
			groups = v.vec16()
			ok = !v.bad && len(groups)%2 == 0
		case typ == extECPointFormats && client:
			v := tlsReader{b: data}
			points = v.vec8()
			ok = !v.bad
		case typ == extALPN:
			h.alpn = true
		case typ == extSupportedVersions:
			ok = h.supportedVersions(data, client)
		}
		if !ok {
			return nil, nil, errTLSBadExtension
		}
	}
	return groups, points, nil
}

// serverName returns the host_name entry of a server_name extension.
func serverName(data []byte) ([]byte, bool) {
	r := tlsReader{b: data}
	list := tlsReader{b: r.vec16()}
	if r.bad {
		return nil, false
	}
	for len(list.b) > 0 {
		typ := list.u8()
		name := list.vec16()
		if list.bad {
			return nil, false
		}
		if typ == 0 {
			return name, true
		}
	}
	return nil, true
}

// supportedVersions reads the client's offered list (keeping the highest
// non-GREASE version) or the server's selected version.
func (h *helloInfo) supportedVersions(data []byte, client bool) bool {
	r := tlsReader{b: data}
	if !client {
		v := r.u16()
		h.version = uint16(v)
		return !r.bad
	}
	list := r.vec8()
	if r.bad || len(list)%2 != 0 {
		return false
	}
	best := uint16(0)
	for i := 0; i+1 < len(list); i += 2 {
		if v := uint16(list[i])<<8 | uint16(list[i+1]); !isGREASE(v) && v > best {
			best = v
		}
	}
	if best != 0 {
		h.version = best
	}
	return true
}

// appendList16 appends the non-GREASE 16-bit values of b, '-' separated.
func appendList16(dst, b []byte) []byte {
	sep := false
	for i := 0; i+1 < len(b); i += 2 {
		v := uint16(b[i])<<8 | uint16(b[i+1])
		if isGREASE(v) {
			continue
		}
		if sep {
			dst = append(dst, '-')
		}
		dst = strconv.AppendUint(dst, uint64(v), 10)
		sep = true
	}
	return dst
}
