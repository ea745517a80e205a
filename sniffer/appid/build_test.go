package appid

import (
	"encoding/binary"
	"math/rand/v2"
)

// Packet builders for the tests: each writes one message of a protocol
// the way its specification lays it out, with random fields random.

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func nonZero(r *rand.Rand, n int) []byte {
	b := randBytes(r, n)
	b[0] |= 1
	return b
}

func btHandshake(r *rand.Rand) []byte {
	b := []byte(btProtocol)
	b = append(b, make([]byte, 8)...)     // reserved
	b = append(b, randBytes(r, 20)...)    // info hash
	return append(b, randBytes(r, 20)...) // peer id
}

func krpcQuery(r *rand.Rand) []byte {
	b := []byte("d1:ad2:id20:")
	b = append(b, randBytes(r, 20)...)
	b = append(b, "9:info_hash20:"...)
	b = append(b, randBytes(r, 20)...)
	return append(b, "e1:q9:get_peers1:t2:aa1:y1:qe"...)
}

func krpcResponse(r *rand.Rand) []byte {
	b := []byte("d2:ip6:")
	b = append(b, randBytes(r, 6)...)
	b = append(b, "1:rd2:id20:"...)
	b = append(b, randBytes(r, 20)...)
	return append(b, "e1:t2:aa1:y1:re"...)
}

func utpPacket(r *rand.Rand, typ byte, payload []byte) []byte {
	b := make([]byte, utpHeader, utpHeader+len(payload))
	b[0] = typ<<4 | 1
	copy(b[2:4], randBytes(r, 2))
	copy(b[4:8], randBytes(r, 4))
	if typ != 4 {
		copy(b[8:12], nonZero(r, 4))
	}
	binary.BigEndian.PutUint32(b[12:16], 1<<20)
	copy(b[16:20], randBytes(r, 4))
	return append(b, payload...)
}

func trackerConnect(r *rand.Rand) []byte {
	b := binary.BigEndian.AppendUint64(nil, 0x41727101980)
	b = binary.BigEndian.AppendUint32(b, 0)
	return append(b, randBytes(r, 4)...)
}

func wgPacket(r *rand.Rand, typ byte, size int) []byte {
	b := randBytes(r, size)
	b[0], b[1], b[2], b[3] = typ, 0, 0, 0
	return b
}

func levin(r *rand.Rand, body int) []byte {
	b := []byte(levinSignature)
	b = binary.LittleEndian.AppendUint64(b, uint64(body))
	b = append(b, 1)                              // have to return
	b = binary.LittleEndian.AppendUint32(b, 1001) // COMMAND_HANDSHAKE
	b = binary.LittleEndian.AppendUint32(b, 0)    // return code
	b = binary.LittleEndian.AppendUint32(b, 1)    // flags: request
	b = binary.LittleEndian.AppendUint32(b, 1)    // protocol version
	return append(b, randBytes(r, body)...)
}

// ovpnHeader writes opcode (key 0), a session id and, with hmac > 0, the
// tls-auth HMAC, packet id 1 and a time.
func ovpnHeader(r *rand.Rand, opcode byte, hmac int) []byte {
	b := []byte{opcode << 3}
	b = append(b, nonZero(r, 8)...)
	if hmac > 0 {
		b = append(b, randBytes(r, hmac)...)
		b = binary.BigEndian.AppendUint32(b, 1)
		b = binary.BigEndian.AppendUint32(b, uint32(r.Uint32()))
	}
	return b
}

func ovpnClient(r *rand.Rand, hmac int) []byte {
	b := append(ovpnHeader(r, 7, hmac), 0)     // ack array length
	return binary.BigEndian.AppendUint32(b, 0) // message packet id
}

func ovpnServer(r *rand.Rand, hmac int) []byte {
	b := append(ovpnHeader(r, 8, hmac), 1)  // one ack
	b = binary.BigEndian.AppendUint32(b, 0) // acked packet id
	b = append(b, nonZero(r, 8)...)         // the client's session id
	return binary.BigEndian.AppendUint32(b, 0)
}

func tcpFramed(b []byte) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...)
}

func ikeSAInit(r *rand.Rand, version, exchange, next byte, natt bool) []byte {
	var b []byte
	if natt {
		b = make([]byte, 4)
	}
	start := len(b)
	b = append(b, nonZero(r, 8)...)
	b = append(b, make([]byte, 8)...) // responder SPI
	b = append(b, next, version, exchange, 0x08, 0, 0, 0, 0)
	b = append(b, 0, 0, 0, 0) // length, set below
	b = append(b, randBytes(r, 200)...)
	binary.BigEndian.PutUint32(b[start+24:], uint32(len(b)-start))
	return b
}

func stratumSubscribe() []byte {
	return []byte(`{"id": 1, "method": "mining.subscribe", "params": ["cgminer/4.10.0"]}` + "\n")
}

func xmrigLogin() []byte {
	return []byte(`{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4` +
		`8edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD",` +
		`"pass":"x","agent":"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0"]}}` + "\n")
}
