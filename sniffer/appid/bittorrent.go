package appid

// BitTorrent: the peer wire handshake (BEP 3) over TCP or inside uTP
// (BEP 29), DHT KRPC messages (BEP 5: bencoded dictionaries) and the UDP
// tracker's connect request (BEP 15).
var bittorrentRules = []Rule{
	{BitTorrent, `bittorrent peer wire handshake ("\x13BitTorrent protocol")`, TCP, High, peerWire},
	{BitTorrent, `bittorrent dht krpc message (bencoded dict with "2:id20:" and "1:y1:")`, UDP, High, krpcMessage},
	{BitTorrent, `bittorrent utp data carrying the peer wire handshake`, UDP, High, utpHandshake},
	{BitTorrent, `bittorrent udp tracker connect (protocol id 0x41727101980)`, UDP, High, udpTrackerConnect},
	{BitTorrent, `bittorrent utp syn (type 4, version 1, no timestamp difference)`, UDP, Medium, utpSyn},
	{BitTorrent, `bittorrent utp state (type 2, version 1, 20-byte header)`, UDP, Low, utpState},
}

const btProtocol = "\x13BitTorrent protocol"

func peerWire(b []byte, _ int) []byte {
	if hasPrefix(b, btProtocol) {
		return b[:len(btProtocol)]
	}
	return nil
}

// krpcMessage matches a bencoded dictionary carrying a node id and a
// message type (query, response or error).
func krpcMessage(b []byte, _ int) []byte {
	if len(b) < 20 || b[0] != 'd' || b[len(b)-1] != 'e' {
		return nil
	}
	if !contains(b, "2:id20:") {
		return nil
	}
	i := index(b, "1:y1:")
	if i < 0 || i+6 > len(b) || (b[i+5] != 'q' && b[i+5] != 'r' && b[i+5] != 'e') {
		return nil
	}
	return b[i : i+6]
}

// uTP header: type<<4|version, extension, connection id (2), timestamp
// (4), timestamp difference (4), window (4), seq (2), ack (2).
const utpHeader = 20

// utpPayload returns the offset of a uTP packet's payload after its
// extension chain, or -1 when b is not a version 1 uTP packet.
func utpPayload(b []byte) int {
	if len(b) < utpHeader || b[0]&0x0f != 1 || b[0]>>4 > 4 || b[1] > 4 {
		return -1
	}
	off, next := utpHeader, b[1]
	for next != 0 {
		if off+2 > len(b) {
			return -1
		}
		next = b[off]
		off += 2 + int(b[off+1])
		if next > 4 || off > len(b) {
			return -1
		}
	}
	return off
}

func utpHandshake(b []byte, n int) []byte {
	if len(b) < utpHeader || b[0] != 0x01 {
		return nil
	}
	off := utpPayload(b)
	if off < 0 {
		return nil
	}
	return peerWire(b[off:], n-off)
}

func utpSyn(b []byte, n int) []byte {
	if len(b) < utpHeader || b[0] != 0x41 || !zero(b[8:12]) {
		return nil
	}
	if off := utpPayload(b); off < 0 || off != n {
		return nil
	}
	return b[:2]
}

func utpState(b []byte, n int) []byte {
	if len(b) < utpHeader || b[0] != 0x21 {
		return nil
	}
	if off := utpPayload(b); off < 0 || off != n {
		return nil
	}
	return b[:2]
}

// udpTrackerConnect is BEP 15's 16-byte connect request: the protocol id
// 0x41727101980, action 0, a transaction id.
func udpTrackerConnect(b []byte, n int) []byte {
	if n != 16 || !hasPrefix(b, "\x00\x00\x04\x17\x27\x10\x19\x80\x00\x00\x00\x00") {
		return nil
	}
	return b[:12]
}
