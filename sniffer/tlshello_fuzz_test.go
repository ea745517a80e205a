package sniffer

import (
	"bytes"
	"testing"
)

// FuzzTLSHello feeds arbitrary bytes to the hello parsers: they must not
// panic, must return an SNI that is part of the input, and must keep the
// JA3 string bounded by the input's size.
func FuzzTLSHello(f *testing.F) {
	f.Add([]byte{22, 3, 1, 0, 5, 1, 0, 0, 1, 3})
	f.Add(append([]byte{22, 3, 1, 0, 47, 1, 0, 0, 43, 3, 3}, make([]byte, 40)...))
	// A minimal ClientHello: SNI "a.b", one cipher, no compression list.
	f.Add([]byte{22, 3, 1, 0, 60, 1, 0, 0, 56, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 2, 0x13, 1, 1, 0, 0, 12, 0, 0, 0, 8, 0, 6, 0, 0, 3, 'a', '.', 'b'})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, client := range []bool{true, false} {
			body := data
			if isHandshakeRecord(data, tlsClientHello) || isHandshakeRecord(data, tlsServerHello) {
				need, err := helloLength(data)
				if err == nil && need <= len(data) {
					body = data[9:need]
				}
			}
			h, err := parseHello(body, client, nil)
			if len(h.str) > 8*len(body)+64 {
				t.Fatalf("ja3 string of %d bytes from %d input bytes", len(h.str), len(body))
			}
			if err == nil && len(h.sni) > 0 && !bytes.Contains(body, h.sni) {
				t.Fatalf("sni %q not in the input", h.sni)
			}
		}
	})
}

// BenchmarkParseClientHello parses a browser-sized ClientHello and builds
// its JA3 string (the MD5 and interning are outside).
func BenchmarkParseClientHello(b *testing.B) {
	// A ClientHello taken apart by hand: 16 ciphers, 15 extensions.
	body := []byte{3, 3}
	body = append(body, make([]byte, 32)...)
	body = append(body, 0, 0, 32)
	for c := 0; c < 16; c++ {
		body = append(body, 0xc0, byte(c))
	}
	body = append(body, 1, 0)
	exts := []byte{0, 0, 0, 16, 0, 14, 0, 0, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'o', 'r', 'g'}
	exts = append(exts, 0, 10, 0, 8, 0, 6, 0, 29, 0, 23, 0, 24, 0, 11, 0, 2, 1, 0, 0, 43, 0, 5, 4, 3, 4, 3, 3)
	for t := 13; t < 24; t++ {
		exts = append(exts, 0, byte(t), 0, 0)
	}
	body = append(body, byte(len(exts)>>8), byte(len(exts)))
	body = append(body, exts...)
	h, err := parseHello(body, true, nil)
	if err != nil || string(h.sni) != "example.org" || h.version != 0x0304 {
		b.Fatalf("%v %q %x", err, h.sni, h.version)
	}
	str := h.str
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, _ = parseHello(body, true, str[:0])
		str = h.str
	}
}
