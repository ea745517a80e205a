package sniffer_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"

	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/pcapgen"
)

var tlsClient = pcapgen.Endpoints{Src: netip.MustParseAddr("192.0.2.10"), Dst: netip.MustParseAddr("1.1.1.1"), SrcPort: 44404, DstPort: 443}

// hello describes a ClientHello the test builds byte by byte.
type hello struct {
	version  uint16 // legacy_version
	ciphers  []uint16
	exts     []uint16 // extension order; 0, 10, 11, 43 get their data below, others empty
	sni      string   // server_name (extension 0) host name
	groups   []uint16
	points   []uint8
	versions []uint16 // supported_versions (43)
}

func u16(b []byte, v int) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }

// bytes returns the hello as one TLS record.
func (h hello) bytes() []byte {
	var body []byte
	body = u16(body, int(h.version))
	body = append(body, make([]byte, 32)...) // random
	body = append(body, 0)                   // session id
	body = u16(body, 2*len(h.ciphers))
	for _, c := range h.ciphers {
		body = u16(body, int(c))
	}
	body = append(body, 1, 0) // compression: null
	var exts []byte
	for _, typ := range h.exts {
		var data []byte
		switch typ {
		case 0:
			data = u16(data, 3+len(h.sni))
			data = append(data, 0)
			data = u16(data, len(h.sni))
			data = append(data, h.sni...)
		case 10:
			data = u16(data, 2*len(h.groups))
			for _, g := range h.groups {
				data = u16(data, int(g))
			}
		case 11:
			data = append(data, byte(len(h.points)))
			data = append(data, h.points...)
		case 43:
			data = append(data, byte(2*len(h.versions)))
			for _, v := range h.versions {
				data = u16(data, int(v))
			}
		}
		exts = u16(exts, int(typ))
		exts = u16(exts, len(data))
		exts = append(exts, data...)
	}
	body = u16(body, len(exts))
	body = append(body, exts...)
	return handshakeRecord(1, body)
}

func handshakeRecord(typ byte, body []byte) []byte {
	msg := append([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
	rec := []byte{22, 3, 1}
	rec = u16(rec, len(msg))
	return append(rec, msg...)
}

// serverHelloRecord builds a TLS 1.3 ServerHello: legacy 0x0303, the
// cipher, supported_versions 0x0304 and an empty key_share.
func serverHelloRecord(cipher uint16) []byte {
	var body []byte
	body = u16(body, 0x0303)
	body = append(body, make([]byte, 32)...)
	body = append(body, 0)
	body = u16(body, int(cipher))
	body = append(body, 0)
	var exts []byte
	exts = u16(exts, 43)
	exts = u16(exts, 2)
	exts = u16(exts, 0x0304)
	exts = u16(exts, 51)
	exts = u16(exts, 0)
	body = u16(body, len(exts))
	body = append(body, exts...)
	return handshakeRecord(2, body)
}

func grease(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

func join[T uint8 | uint16](vs []T) string {
	var parts []string
	for _, v := range vs {
		if !grease(uint16(v)) {
			parts = append(parts, strconv.Itoa(int(v)))
		}
	}
	return strings.Join(parts, "-")
}

// ja3 is the JA3 string of h as the JA3 specification defines it.
func (h hello) ja3() string {
	return strconv.Itoa(int(h.version)) + "," + join(h.ciphers) + "," + join(h.exts) + "," + join(h.groups) + "," + join(h.points)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// chromeLike has GREASE values in the ciphers, extensions, groups and
// versions, as Chrome sends them.
func chromeLike(sni string) hello {
	h := hello{
		version:  0x0303,
		ciphers:  []uint16{0x3a3a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f},
		exts:     []uint16{0xdada, 0, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27, 0x1a1a},
		sni:      sni,
		groups:   []uint16{0x8a8a, 29, 23, 24},
		points:   []uint8{0},
		versions: []uint16{0x7a7a, 0x0304, 0x0303},
	}
	if sni == "" { // no server_name extension at all
		h.exts = []uint16{0xdada, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27, 0x1a1a}
	}
	return h
}

// handshake writes a TCP connection whose client sends the hello in the
// given pieces and whose server answers with serverHello (nil: none).
func handshake(t testing.TB, w *pcapgen.Writer, e pcapgen.Endpoints, pieces [][]byte, serverHello []byte) {
	t.Helper()
	ts := t0
	step := func() time.Time { ts = ts.Add(time.Millisecond); return ts }
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	cseq, sseq := uint32(1000), uint32(5000)
	must(w.TCP(step(), e, cseq, 0, "S", nil))
	must(w.TCP(step(), e.Reverse(), sseq, cseq+1, "SA", nil))
	cseq++
	sseq++
	must(w.TCP(step(), e, cseq, sseq, "A", nil))
	for _, p := range pieces {
		must(w.TCP(step(), e, cseq, sseq, "PA", p))
		cseq += uint32(len(p))
	}
	if serverHello != nil {
		must(w.TCP(step(), e.Reverse(), sseq, cseq, "PA", serverHello))
		sseq += uint32(len(serverHello))
	}
	must(w.TCP(step(), e, cseq, sseq, "FA", nil))
	must(w.TCP(step(), e.Reverse(), sseq, cseq+1, "FA", nil))
}

func tlsEvents(t *testing.T, fill func(w *pcapgen.Writer)) result {
	t.Helper()
	return readAll(t, capture(t, 1, false, fill), sniffer.Options{})
}

func TestTLSHandshakeEvents(t *testing.T) {
	ja3s := md5hex("771,4865,43-51")
	for _, tc := range []struct {
		name    string
		hello   hello
		split   int // split the hello after this many bytes (0: one segment)
		server  bool
		version string
	}{
		{"sni and server hello", chromeLike("cloudflare-dns.com"), 0, true, "TLSv13"},
		{"no sni", chromeLike(""), 0, true, "TLSv13"},
		{"split over two segments", chromeLike("split.example.org"), 60, true, "TLSv13"},
		{"split inside the handshake header", chromeLike("hdr.example.org"), 7, true, "TLSv13"},
		{"no server hello", chromeLike("quiet.example.org"), 0, false, "TLSv13"},
		{"tls 1.2 client without extensions list", hello{version: 0x0303, ciphers: []uint16{0x002f, 0x0035}}, 0, false, "TLSv12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := tc.hello.bytes()
			pieces := [][]byte{rec}
			if tc.split > 0 {
				pieces = [][]byte{rec[:tc.split], rec[tc.split:]}
			}
			var sh []byte
			if tc.server {
				sh = serverHelloRecord(0x1301)
			}
			r := tlsEvents(t, func(w *pcapgen.Writer) { handshake(t, w, tlsClient, pieces, sh) })
			if len(r.errs) > 0 || len(r.stats.Bad) > 0 {
				t.Fatalf("errors %v, bad %v", r.errs, r.stats.Bad)
			}
			evs, flows := r.byType(scoring.TypeTLS), r.byType(scoring.TypeFlow)
			if len(evs) != 1 || len(flows) != 1 {
				t.Fatalf("%d tls events, %d flows; want 1 and 1", len(evs), len(flows))
			}
			ev := evs[0]
			if ev.Origin != sniffer.OriginTLS || ev.Proto != scoring.ProtoTCP || ev.UID != flows[0].UID ||
				ev.SrcIP != tlsClient.Src || ev.DstIP != tlsClient.Dst || ev.SrcPort != 44404 || ev.DstPort != 443 {
				t.Errorf("event header: %+v", ev)
			}
			want := scoring.TLS{SNI: tc.hello.sni, Version: tc.version, JA3: md5hex(tc.hello.ja3())}
			if tc.server {
				want.JA3S = ja3s
			}
			if ev.TLS != want {
				t.Errorf("tls %+v\nwant %+v (ja3 string %s)", ev.TLS, want, tc.hello.ja3())
			}
		})
	}
}

func TestGREASEIsLeftOutOfJA3(t *testing.T) {
	h := chromeLike("grease.example")
	s := h.ja3()
	if strings.Contains(s, strconv.Itoa(0x3a3a)) || strings.Contains(s, strconv.Itoa(0xdada)) || !strings.HasPrefix(s, "771,4865-4866-4867-49195-49199,0-23-") {
		t.Fatalf("test's own JA3 string is wrong: %s", s)
	}
	noGrease := h
	noGrease.ciphers, noGrease.exts, noGrease.groups = h.ciphers[1:], h.exts[1:len(h.exts)-1], h.groups[1:]
	noGrease.versions = h.versions[1:]
	var got []string
	for _, x := range []hello{h, noGrease} {
		r := tlsEvents(t, func(w *pcapgen.Writer) { handshake(t, w, tlsClient, [][]byte{x.bytes()}, nil) })
		evs := r.byType(scoring.TypeTLS)
		if len(evs) != 1 {
			t.Fatalf("%d tls events", len(evs))
		}
		got = append(got, evs[0].TLS.JA3)
	}
	if got[0] != got[1] || got[0] != md5hex(s) {
		t.Errorf("ja3 with GREASE %s, without %s, want both %s", got[0], got[1], md5hex(s))
	}
}

func TestMalformedHellosAreCounted(t *testing.T) {
	good := chromeLike("bad.example").bytes()
	badExt := append([]byte(nil), good...)
	// The first extension's length runs past the extensions block.
	off := 5 + 4 + 2 + 32 + 1 + 2 + 2*6 + 2 + 2 + 2
	badExt[off], badExt[off+1] = 0xff, 0xff
	truncated := append([]byte(nil), good[:40]...)
	truncated[3], truncated[4] = 0, 35 // record claims 35 bytes
	truncated[6], truncated[7], truncated[8] = 0, 0, 31
	tooLong := append([]byte(nil), good...)
	tooLong[6] = 0x10 // handshake message longer than its record

	for _, tc := range []struct {
		name   string
		pieces [][]byte
		reason string
	}{
		{"bad extension length", [][]byte{badExt}, "tls hello bad extension"},
		{"truncated body", [][]byte{truncated}, "tls hello truncated"},
		{"message longer than record", [][]byte{tooLong}, "tls hello spans records"},
		{"flow ends mid hello", [][]byte{good[:100]}, "tls hello incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tlsEvents(t, func(w *pcapgen.Writer) { handshake(t, w, tlsClient, tc.pieces, serverHelloRecord(0x1301)) })
			if n := len(r.byType(scoring.TypeTLS)); n != 0 {
				t.Errorf("%d tls events from a malformed hello", n)
			}
			if len(r.byType(scoring.TypeFlow)) != 1 {
				t.Errorf("the flow is still reported")
			}
			if r.stats.Bad[tc.reason] != 1 {
				t.Errorf("bad %v, want %q counted once", r.stats.Bad, tc.reason)
			}
		})
	}
}

func TestSplitHelloWithAGapIsGivenUp(t *testing.T) {
	rec := chromeLike("gap.example").bytes()
	r := tlsEvents(t, func(w *pcapgen.Writer) {
		e := tlsClient
		_ = w.TCP(t0, e, 1000, 0, "S", nil)
		_ = w.TCP(t0.Add(time.Millisecond), e.Reverse(), 5000, 1001, "SA", nil)
		_ = w.TCP(t0.Add(2*time.Millisecond), e, 1001, 5001, "PA", rec[:50])
		_ = w.TCP(t0.Add(3*time.Millisecond), e, 1001+60, 5001, "PA", rec[60:])   // 10 bytes missing
		_ = w.TCP(t0.Add(4*time.Millisecond), e, 1001+50, 5001, "PA", rec[50:60]) // late
		_ = w.TCP(t0.Add(5*time.Millisecond), e, 1001+uint32(len(rec)), 5001, "RA", nil)
	})
	if n := len(r.byType(scoring.TypeTLS)); n != 0 {
		t.Errorf("%d tls events", n)
	}
	if r.stats.Bad["tls hello incomplete"] != 1 {
		t.Errorf("bad %v", r.stats.Bad)
	}
}

func TestNonTLSPayloadIsIgnored(t *testing.T) {
	e := tlsClient
	e.DstPort = 80
	r := tlsEvents(t, func(w *pcapgen.Writer) {
		handshake(t, w, e, [][]byte{[]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n")}, []byte("HTTP/1.1 200 OK\r\n\r\n"))
	})
	if n := len(r.byType(scoring.TypeTLS)); n != 0 || len(r.stats.Bad) != 0 {
		t.Errorf("%d tls events, bad %v", n, r.stats.Bad)
	}
}

// recordingConn keeps what is written through it.
type recordingConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, append([]byte(nil), b...))
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func selfSigned(t *testing.T) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "resolver.test"},
		DNSNames: []string{"resolver.test"}, NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestGoTLSHandshake runs crypto/tls over an in-memory pipe, replays the
// bytes each side wrote as a TCP connection, and checks the event against
// what crypto/tls itself parsed from the ClientHello.
func TestGoTLSHandshake(t *testing.T) {
	cliSide, srvSide := net.Pipe()
	cli, srv := &recordingConn{Conn: cliSide}, &recordingConn{Conn: srvSide}
	var info *tls.ClientHelloInfo
	cert := selfSigned(t)
	server := tls.Server(srv, &tls.Config{
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) { info = h; return nil, nil },
		Certificates:       []tls.Certificate{cert},
	})
	client := tls.Client(cli, &tls.Config{ServerName: "resolver.test", InsecureSkipVerify: true})
	done := make(chan error, 1)
	go func() { done <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	state := client.ConnectionState()
	cliSide.Close() // not client.Close: a close_notify on a pipe nobody reads waits 5 s
	srvSide.Close()

	chello, shello := cli.writes[0], srv.writes[0]
	var ext, curves, points []string
	for _, x := range info.Extensions {
		ext = append(ext, strconv.Itoa(int(x)))
	}
	for _, c := range info.SupportedCurves {
		curves = append(curves, strconv.Itoa(int(c)))
	}
	for _, p := range info.SupportedPoints {
		points = append(points, strconv.Itoa(int(p)))
	}
	var ciphers []string
	for _, c := range info.CipherSuites {
		ciphers = append(ciphers, strconv.Itoa(int(c)))
	}
	legacy := int(binary.BigEndian.Uint16(chello[9:]))
	ja3 := strconv.Itoa(legacy) + "," + strings.Join(ciphers, "-") + "," + strings.Join(ext, "-") + "," +
		strings.Join(curves, "-") + "," + strings.Join(points, "-")

	half := len(chello) / 2
	r := tlsEvents(t, func(w *pcapgen.Writer) { handshake(t, w, tlsClient, [][]byte{chello[:half], chello[half:]}, shello) })
	evs := r.byType(scoring.TypeTLS)
	if len(evs) != 1 || len(r.stats.Bad) != 0 {
		t.Fatalf("%d tls events, bad %v", len(evs), r.stats.Bad)
	}
	got := evs[0].TLS
	if got.SNI != "resolver.test" || got.JA3 != md5hex(ja3) || state.Version != tls.VersionTLS13 || got.Version != "TLSv13" {
		t.Errorf("got %+v; want sni resolver.test, ja3 of %s, TLSv13", got, ja3)
	}
	if len(got.JA3S) != 32 {
		t.Errorf("ja3s %q", got.JA3S)
	}
}

func TestTLSRecordsMapBackToTheEvent(t *testing.T) {
	ev := scoring.Event{Time: t0, Type: scoring.TypeTLS, Origin: sniffer.OriginTLS, UID: "Cabc",
		SrcIP: tlsClient.Src, DstIP: tlsClient.Dst, SrcPort: 44404, DstPort: 443, Proto: scoring.ProtoTCP,
		TLS: scoring.TLS{SNI: "dns.google", Version: "TLSv13", JA3: md5hex("a"), JA3S: md5hex("b")}}
	noSNI := ev
	noSNI.TLS.SNI, noSNI.TLS.JA3S = "", ""
	for _, want := range []scoring.Event{ev, noSNI} {
		line := sniffer.AppendJSON(nil, &want)
		var js map[string]any
		if err := json.Unmarshal(line, &js); err != nil {
			t.Fatal(err)
		}
		mp, _, err := msgp.ReadMapStrIntfBytes(sniffer.AppendRecord(nil, &want), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []map[string]any{js, mp} {
			if m[record.KeyType] != "tls" || m[record.KeyJA3] != want.TLS.JA3 || m[record.KeyVersion] != "TLSv13" {
				t.Errorf("record %v", m)
			}
			if _, ok := m[record.KeyServerName]; ok != (want.TLS.SNI != "") {
				t.Errorf("server_name present %v for sni %q", ok, want.TLS.SNI)
			}
		}
		m := record.NewMapper(record.InputAuto)
		if err := m.FeedJSON(line[:len(line)-1]); err != nil {
			t.Fatal(err)
		}
		var got scoring.Event
		if err := m.End(&got); err != nil {
			t.Fatal(err)
		}
		if got.Type != scoring.TypeTLS || got.Origin != "sniffer:tls" || got.TLS != want.TLS || got.SrcIP != want.SrcIP ||
			got.DstPort != 443 || got.UID != "Cabc" || !got.Time.Equal(t0) {
			t.Errorf("mapped %+v\nwant %+v", got, want)
		}
	}
}

// handshakeFrames returns the Ethernet frames of n connections (8 packets
// each) from distinct client ports whose first payloads are client and
// server (a ClientHello and a ServerHello, or HTTP).
func handshakeFrames(b *testing.B, n int, client, server []byte) [][]byte {
	var buf bytes.Buffer
	w, err := pcapgen.NewWriter(&buf, pcapgen.Ethernet, false)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		e := tlsClient
		e.SrcPort = uint16(20000 + i)
		handshake(b, w, e, [][]byte{client}, server)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return readFrames(b, &buf)
}

// BenchmarkDecodeTLSHandshake is per packet over connections of 8 packets
// carrying a ClientHello and a ServerHello (one TLS event, one flow each).
func BenchmarkDecodeTLSHandshake(b *testing.B) {
	benchFrames(b, handshakeFrames(b, 200, chromeLike("bench.example.org").bytes(), serverHelloRecord(0x1301)), nil)
}

// BenchmarkDecodeTCPNoTLS is the same traffic with HTTP payloads: the
// cost of the TLS hook on connections that are not TLS.
func BenchmarkDecodeTCPNoTLS(b *testing.B) {
	benchFrames(b, handshakeFrames(b, 200, []byte("GET / HTTP/1.1\r\nHost: bench.example.org\r\n\r\n"), []byte("HTTP/1.1 204 No Content\r\n\r\n")), nil)
}
