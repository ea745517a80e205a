package appid

// OpenVPN: the control channel's hard reset that opens every session
// (opcode 7, P_CONTROL_HARD_RESET_CLIENT_V2; 10, _V3; answered by 8,
// P_CONTROL_HARD_RESET_SERVER_V2), key id 0. Over UDP the packet is the
// payload; over TCP it follows a 2-byte length. The layout is checked for
// no HMAC and tls-auth HMACs of 20, 32 and 64 bytes: after the 8-byte
// session id (and the HMAC, packet id and time), the client's ack array is
// empty and its message packet id is 0; the server acks one packet and
// names the client's session.
var openvpnRules = []Rule{
	{OpenVPN, "openvpn udp client hard reset (opcode 7 or 10, key 0, ack array empty, packet id 0)", UDP, Medium, ovpnUDP(ovpnClientReset)},
	{OpenVPN, "openvpn udp server hard reset (opcode 8, key 0, one ack, packet id 0)", UDP, Medium, ovpnUDP(ovpnServerReset)},
	{OpenVPN, "openvpn tcp client hard reset (length prefix, opcode 7 or 10, key 0, ack array empty, packet id 0)", TCP, Medium, ovpnTCP(ovpnClientReset)},
	{OpenVPN, "openvpn tcp server hard reset (length prefix, opcode 8, key 0, one ack, packet id 0)", TCP, Medium, ovpnTCP(ovpnServerReset)},
}

// ovpnHMACs are the tls-auth HMAC sizes tried: none, SHA-1, SHA-256, SHA-512.
var ovpnHMACs = [...]int{0, 20, 32, 64}

func ovpnUDP(check func(b []byte, n int) bool) func([]byte, int) []byte {
	return func(b []byte, n int) []byte {
		if check(b, n) {
			return b[:1]
		}
		return nil
	}
}

func ovpnTCP(check func(b []byte, n int) bool) func([]byte, int) []byte {
	return func(b []byte, n int) []byte {
		if len(b) < 3 || int(b[0])<<8|int(b[1]) != n-2 || !check(b[2:], n-2) {
			return nil
		}
		return b[:3]
	}
}

// ovpnControl returns the offset after the session id, HMAC, packet id and
// time for each HMAC size (0 when that size does not fit).
func ovpnControl(hmac int) int {
	if hmac == 0 {
		return 1 + 8
	}
	return 1 + 8 + hmac + 4 + 4
}

func ovpnClientReset(b []byte, n int) bool {
	if len(b) < 14 || (b[0] != 7<<3 && b[0] != 10<<3) || zero(b[1:9]) {
		return false
	}
	for _, h := range ovpnHMACs {
		off := ovpnControl(h)
		// ack array length 0, message packet id 0, then at most a small TLV.
		if off+5 <= len(b) && n >= off+5 && n <= off+5+16 && b[off] == 0 && zero(b[off+1:off+5]) {
			return true
		}
	}
	return false
}

func ovpnServerReset(b []byte, n int) bool {
	if len(b) < 26 || b[0] != 8<<3 || zero(b[1:9]) {
		return false
	}
	for _, h := range ovpnHMACs {
		off := ovpnControl(h)
		// ack array of one packet id (0), the client's session id, message packet id 0.
		end := off + 1 + 4 + 8 + 4
		if end <= len(b) && n >= end && n <= end+16 && b[off] == 1 && zero(b[off+1:off+5]) &&
			!zero(b[off+5:off+13]) && zero(b[off+13:end]) {
			return true
		}
	}
	return false
}
