package appid

// Monero: the levin protocol of Monero's P2P network (and its RPC between
// wallets and nodes) starts every message with the 8-byte signature
// 0x0101010101012101 (little endian) in a 33-byte header.
var moneroRules = []Rule{
	{Monero, "monero levin header (signature 0x0101010101012101)", TCP, High, levinHeader},
}

const levinSignature = "\x01\x21\x01\x01\x01\x01\x01\x01"

func levinHeader(b []byte, n int) []byte {
	if n < 33 || !hasPrefix(b, levinSignature) {
		return nil
	}
	return b[:8]
}
