package appid

// iodine in raw mode: once its DNS handshake is done, the iodine client
// tries to reach the server directly, sending UDP to the server's DNS port
// without DNS encoding. Every such packet starts with iodine's raw header:
// the three bytes 10 d1 9e, then a command byte whose high nibble is login
// (1), data (2) or ping (3) and whose low nibble is the user number
// (iodine's src/common.h and common.c). Twenty-four fixed bits and a
// command nibble at the start of a UDP payload on a DNS port is no DNS
// message (it would be a query id of 0x10d1 with opcode 9, which DNS does
// not assign), so one packet is enough.
var iodineRules = []Rule{
	{Iodine, "iodine raw mode header (10 d1 9e, then a login, data or ping command)", UDP, High, iodineRaw},
}

// iodineHeader is the raw header's fixed part.
const iodineHeader = "\x10\xd1\x9e"

func iodineRaw(b []byte, n int) []byte {
	if n < 4 || len(b) < 4 || !hasPrefix(b, iodineHeader) {
		return nil
	}
	if cmd := b[3] >> 4; cmd < 1 || cmd > 3 {
		return nil
	}
	return b[:4]
}

// IodineRaw reports whether a UDP payload starts with iodine's raw-mode
// header. The sniffer reads DNS ports as DNS and gives their payloads to no
// identifier but this one: iodine's raw mode talks to the DNS port.
func IodineRaw(b []byte) bool { return iodineRaw(b, len(b)) != nil }
