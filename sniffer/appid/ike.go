package appid

// IKE (IPsec key exchange, RFC 7296 and RFC 2409): the 28-byte header of
// the first exchange, on UDP 500 or behind NAT-T's 4-byte zero non-ESP
// marker on UDP 4500. The initiator SPI is set, the message id is 0, the
// first payload is a Security Association and the length field equals
// the datagram's length.
var ikeRules = []Rule{
	{IKE, "ike v2 IKE_SA_INIT (version 0x20, exchange 34, length = datagram)", UDP, High, ikeHeader(0x20, 34)},
	{IKE, "ike v1 main mode (version 0x10, exchange 2, length = datagram)", UDP, High, ikeHeader(0x10, 2)},
	{IKE, "ike v1 aggressive mode (version 0x10, exchange 4, length = datagram)", UDP, High, ikeHeader(0x10, 4)},
}

const ikeHeaderLen = 28

func ikeHeader(version, exchange byte) func([]byte, int) []byte {
	return func(b []byte, n int) []byte {
		for _, off := range [2]int{0, 4} { // plain, NAT-T
			if off == 4 && (len(b) < 4 || !zero(b[:4])) {
				break
			}
			if sig := ikeAt(b[min(off, len(b)):], n-off, version, exchange); sig != nil {
				return sig
			}
		}
		return nil
	}
}

func ikeAt(b []byte, n int, version, exchange byte) []byte {
	if len(b) < ikeHeaderLen || zero(b[:8]) || b[17] != version || b[18] != exchange || !zero(b[20:24]) {
		return nil
	}
	const sa1, sa2 = 1, 33 // Security Association payload, IKEv1 and IKEv2
	if (version == 0x20 && b[16] != sa2) || (version == 0x10 && b[16] != sa1) {
		return nil
	}
	length := int(b[24])<<24 | int(b[25])<<16 | int(b[26])<<8 | int(b[27])
	if length != n {
		return nil
	}
	return b[16:20]
}
