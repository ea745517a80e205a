package appid

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
)

// msg is one payload of a test flow.
type msg struct {
	fromOrig bool
	b        []byte
}

func orig(b []byte) msg { return msg{true, b} }
func resp(b []byte) msg { return msg{false, b} }

func observe(proto uint8, msgs ...msg) State {
	var s State
	for _, m := range msgs {
		s.Observe(proto, m.b, m.fromOrig)
	}
	return s
}

func TestIdentifiers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name  string
		proto uint8
		msgs  []msg
		app   App
		conf  Confidence
		rule  string // a word of the matching row's name
	}{
		{"bittorrent tcp handshake", TCP, []msg{orig(btHandshake(r))}, BitTorrent, High, "peer wire"},
		{"dht query", UDP, []msg{orig(krpcQuery(r))}, BitTorrent, High, "krpc"},
		{"dht response with ip first", UDP, []msg{resp(krpcResponse(r))}, BitTorrent, High, "krpc"},
		{"utp syn then state", UDP, []msg{orig(utpPacket(r, 4, nil)), resp(utpPacket(r, 2, nil))}, BitTorrent, High, "utp"},
		{"utp syn alone", UDP, []msg{orig(utpPacket(r, 4, nil))}, BitTorrent, Medium, "utp syn"},
		{"utp state alone", UDP, []msg{orig(utpPacket(r, 2, nil))}, BitTorrent, Low, "utp state"},
		{"utp data with handshake", UDP, []msg{orig(utpPacket(r, 0, btHandshake(r)))}, BitTorrent, High, "utp data"},
		{"udp tracker connect", UDP, []msg{orig(trackerConnect(r))}, BitTorrent, High, "tracker"},
		{"wireguard handshake", UDP, []msg{orig(wgPacket(r, 1, 148)), resp(wgPacket(r, 2, 92))}, WireGuard, High, "wireguard"},
		{"wireguard initiation alone", UDP, []msg{orig(wgPacket(r, 1, 148))}, WireGuard, Medium, "initiation"},
		{"wireguard data alone", UDP, []msg{orig(wgPacket(r, 4, 96)), resp(wgPacket(r, 4, 128))}, WireGuard, Low, "transport"},
		{"wireguard initiation wrong size", UDP, []msg{orig(wgPacket(r, 1, 150))}, Unknown, None, ""},
		{"openvpn udp", UDP, []msg{orig(ovpnClient(r, 0)), resp(ovpnServer(r, 0))}, OpenVPN, High, "openvpn"},
		{"openvpn udp tls-auth sha1", UDP, []msg{orig(ovpnClient(r, 20)), resp(ovpnServer(r, 20))}, OpenVPN, High, "openvpn"},
		{"openvpn udp tls-auth sha256 client", UDP, []msg{orig(ovpnClient(r, 32))}, OpenVPN, Medium, "client hard reset"},
		{"openvpn tcp", TCP, []msg{orig(tcpFramed(ovpnClient(r, 0))), resp(tcpFramed(ovpnServer(r, 0)))}, OpenVPN, High, "openvpn tcp"},
		{"openvpn tcp wrong length prefix", TCP, []msg{orig(append(tcpFramed(ovpnClient(r, 0)), 0))}, Unknown, None, ""},
		{"ike v2", UDP, []msg{orig(ikeSAInit(r, 0x20, 34, 33, false))}, IKE, High, "v2"},
		{"ike v2 nat-t", UDP, []msg{orig(ikeSAInit(r, 0x20, 34, 33, true))}, IKE, High, "v2"},
		{"ike v1 main mode", UDP, []msg{orig(ikeSAInit(r, 0x10, 2, 1, false))}, IKE, High, "main mode"},
		{"ike v1 aggressive nat-t", UDP, []msg{orig(ikeSAInit(r, 0x10, 4, 1, true))}, IKE, High, "aggressive"},
		{"ike wrong payload", UDP, []msg{orig(ikeSAInit(r, 0x20, 34, 1, false))}, Unknown, None, ""},
		{"monero levin", TCP, []msg{orig(levin(r, 200))}, Monero, High, "levin"},
		{"iodine raw login", UDP, []msg{orig(iodineRawPacket(r, 0x10, 16))}, Iodine, High, "iodine"},
		{"iodine raw data", UDP, []msg{orig(iodineRawPacket(r, 0x23, 300))}, Iodine, High, "iodine"},
		{"iodine header, unknown command", UDP, []msg{orig(iodineRawPacket(r, 0x40, 300))}, Unknown, None, ""},
		{"iodine header over tcp", TCP, []msg{orig(iodineRawPacket(r, 0x20, 300))}, Unknown, None, ""},
		{"monero levin short", TCP, []msg{orig(levin(r, 0)[:20])}, Unknown, None, ""},
		{"stratum subscribe", TCP, []msg{orig(stratumSubscribe())}, Stratum, High, "mining"},
		{"stratum xmrig login", TCP, []msg{orig(xmrigLogin())}, Stratum, High, "login"},
		{"json-rpc login without agent", TCP, []msg{orig([]byte(`{"method":"login","params":{"user":"a"}}`))}, Unknown, None, ""},
		{"levin on udp", UDP, []msg{orig(levin(r, 200))}, Unknown, None, ""},
		{"wireguard on tcp", TCP, []msg{orig(wgPacket(r, 1, 148))}, Unknown, None, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := observe(c.proto, c.msgs...)
			if s.App() != c.app || s.Confidence() != c.conf {
				t.Fatalf("got %v/%v, want %v/%v", s.App(), s.Confidence(), c.app, c.conf)
			}
			ev := string(s.AppendEvidence(nil))
			if !strings.Contains(ev, c.rule) || (c.app != Unknown && !strings.Contains(ev, "; bytes ")) {
				t.Fatalf("evidence %q does not name %q and its bytes", ev, c.rule)
			}
		})
	}
}

// Ordinary traffic stays unknown: TLS and QUIC hellos, DNS, HTTP, SSH.
func TestOrdinaryTrafficStaysUnknown(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	quic := append([]byte{0xc3, 0, 0, 0, 1, 8}, randBytes(r, 1194)...)
	dns := []byte{0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 6, 'g', 'o', 'o', 'g', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1}
	for _, tc := range []struct {
		name  string
		proto uint8
		b     []byte
	}{
		{"tls client hello", TCP, tlsHello("www.example.com")},
		{"quic initial", UDP, quic},
		{"dns query", UDP, dns},
		{"http get", TCP, []byte("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")},
		{"json api post", TCP, []byte(`{"method":"GET","login":"x"}`)},
		{"ssh banner", TCP, []byte("SSH-2.0-OpenSSH_9.6\r\n")},
	} {
		s := observe(tc.proto, orig(tc.b), resp(tc.b))
		if s.App() != Unknown {
			t.Errorf("%s: identified as %v (%s)", tc.name, s.App(), s.AppendEvidence(nil))
		}
	}
}

// Random payloads of every size never reach Medium.
func TestRandomPayloadsNotIdentified(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		b := randBytes(r, 1+r.IntN(600))
		for _, proto := range []uint8{TCP, UDP} {
			if s := observe(proto, orig(b)); s.Confidence() >= Medium {
				t.Fatalf("random payload %x identified as %v/%v", b[:min(len(b), 32)], s.App(), s.Confidence())
			}
		}
	}
}

func tlsHello(sni string) []byte {
	body := []byte{3, 3}
	body = append(body, make([]byte, 32)...)
	body = append(body, 0, 0, 2, 0x13, 1, 1, 0)
	ext := binary.BigEndian.AppendUint16(nil, 0)
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(sni)+5))
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(sni)+3))
	ext = append(ext, 0)
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(sni)))
	ext = append(ext, sni...)
	body = binary.BigEndian.AppendUint16(body, uint16(len(ext)))
	body = append(body, ext...)
	hs := append([]byte{1, 0, byte(len(body) >> 8), byte(len(body))}, body...)
	return append([]byte{22, 3, 1, byte(len(hs) >> 8), byte(len(hs))}, hs...)
}

func TestObserveBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var s State
	for i := 0; i < MaxPayloads; i++ {
		s.Observe(UDP, randBytes(r, 100), true)
	}
	s.Observe(UDP, wgPacket(r, 1, 148), true) // past the budget: not read
	if s.App() != Unknown {
		t.Fatalf("read a payload past MaxPayloads: %v", s.App())
	}
	s.Observe(UDP, wgPacket(r, 2, 92), false) // the other side still has its budget
	if s.App() != WireGuard {
		t.Fatalf("responder's payload not read")
	}
	long := append([]byte(btProtocol), make([]byte, 100000)...)
	var l State
	l.Observe(TCP, long, true)
	if l.App() != BitTorrent {
		t.Fatal("long handshake not identified")
	}
	if StateBytes > 32 {
		t.Fatalf("State is %d bytes, documented as at most 32", StateBytes)
	}
}

func TestObserveAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	payloads := [][]byte{krpcQuery(r), wgPacket(r, 1, 148), xmrigLogin(), ovpnClient(r, 20), randBytes(r, 300)}
	allocs := testing.AllocsPerRun(100, func() {
		for _, p := range payloads {
			var s State
			s.Observe(UDP, p, true)
			s.Observe(TCP, p, false)
		}
	})
	if allocs != 0 {
		t.Fatalf("Observe allocates %.1f times", allocs)
	}
}

func TestTorSNI(t *testing.T) {
	for _, c := range []struct {
		sni          string
		shape, digit bool
	}{
		{"www.k3ddq6yxnq5y.com", true, true},
		{"www.abcd.net", true, false},
		{"www.google.com", true, false},
		{"www.a2b.com", false, false},                        // label too short
		{"www.abcdefghijklmnopqrstuvwxyz.com", false, false}, // too long
		{"www.github8.com", false, false},                    // 8 is not base32
		{"mail.k3ddq6yxnq5y.com", false, false},
		{"www.k3ddq6yxnq5y.org", false, false},
		{"www.K3DDQ6YXNQ5Y.com", false, false},
		{"www.k3d.dq6yxnq5y.com", false, false},
		{"", false, false},
	} {
		shape, digit := TorSNI([]byte(c.sni))
		if shape != c.shape || digit != c.digit {
			t.Errorf("TorSNI(%q) = %v, %v; want %v, %v", c.sni, shape, digit, c.shape, c.digit)
		}
	}
}

// Every row has a name naming its application, a protocol and a
// confidence; Tor's rows are found by index.
func TestRulesTable(t *testing.T) {
	names := map[string]bool{}
	for _, r := range Rules() {
		if names[r.Name] || !strings.HasPrefix(r.Name, r.App.String()) || (r.Proto != TCP && r.Proto != UDP) || r.Conf == None {
			t.Errorf("bad row %+v", r.Name)
		}
		names[r.Name] = true
	}
	for _, i := range []int{RuleTorRandom, RuleTorRelayPort} {
		if i < 0 || Rules()[i].App != Tor {
			t.Fatalf("tor row index %d", i)
		}
	}
	var s State
	s.Set(RuleTorRandom, Medium, []byte("www.k3ddq6yxnq5y.com"))
	if s.App() != Tor || !bytes.Contains(s.AppendEvidence(nil), []byte("77772e6b")) {
		t.Fatalf("Set: %v %s", s.App(), s.AppendEvidence(nil))
	}
}

// iodineRawPacket builds an iodine raw-mode packet: the header 10 d1 9e,
// the command byte, then n bytes of (compressed, so random-looking) data.
func iodineRawPacket(r *rand.Rand, cmd byte, n int) []byte {
	b := append([]byte{0x10, 0xd1, 0x9e, cmd}, make([]byte, n)...)
	for i := 4; i < len(b); i++ {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestIodineRawIsNoDNSQuery: the header check passes iodine's packets and
// no ordinary DNS query (an id of 0x10d1 with a standard opcode).
func TestIodineRawIsNoDNSQuery(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if !IodineRaw(iodineRawPacket(r, 0x30, 0)) {
		t.Error("an iodine ping was not recognised")
	}
	query := []byte{0x10, 0xd1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0, 0, 1, 0, 1}
	if IodineRaw(query) {
		t.Error("a DNS query with id 0x10d1 was taken for iodine")
	}
}
