package appid

// WireGuard: the message type (1 handshake initiation, 2 handshake
// response, 3 cookie reply, 4 transport data), three reserved zero bytes
// and the fixed sizes of the handshake messages (148, 92 and 64 bytes).
// Transport data alone is only Low: its one-byte type says little.
var wireguardRules = []Rule{
	{WireGuard, "wireguard handshake initiation (type 1, 148 bytes)", UDP, Medium, wgMessage(1, 148)},
	{WireGuard, "wireguard handshake response (type 2, 92 bytes)", UDP, Medium, wgMessage(2, 92)},
	{WireGuard, "wireguard cookie reply (type 3, 64 bytes)", UDP, Low, wgMessage(3, 64)},
	{WireGuard, "wireguard transport data (type 4, 16-byte padded)", UDP, Low, wgData},
}

func wgMessage(typ byte, size int) func([]byte, int) []byte {
	return func(b []byte, n int) []byte {
		if n != size || len(b) < 4 || b[0] != typ || !zero(b[1:4]) {
			return nil
		}
		return b[:4]
	}
}

// wgData: header 16 bytes (type, reserved, receiver, counter), then the
// encrypted packet padded to 16 bytes and its 16-byte tag.
func wgData(b []byte, n int) []byte {
	if n < 32 || (n-16)%16 != 0 || len(b) < 4 || b[0] != 4 || !zero(b[1:4]) {
		return nil
	}
	return b[:4]
}
