package appid

// Stratum: mining pools' JSON-RPC over TCP. Stratum v1 names its methods
// "mining.*" (subscribe, authorize, notify); the Monero (XMRig) dialect
// logs in with "method":"login" and the miner's "agent".
var stratumRules = []Rule{
	{Stratum, `stratum json-rpc "method" "mining.*"`, TCP, High, stratumMining},
	{Stratum, `stratum json-rpc "method" "login" with an "agent"`, TCP, High, stratumLogin},
}

// jsonObject returns b after leading white space when it opens a JSON
// object holding a "method", else nil.
func jsonObject(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
		b = b[1:]
	}
	if len(b) < 2 || b[0] != '{' || !contains(b, `"method"`) {
		return nil
	}
	return b
}

func stratumMining(b []byte, _ int) []byte {
	if b = jsonObject(b); b == nil {
		return nil
	}
	i := index(b, `"mining.`)
	if i < 0 {
		return nil
	}
	end := i + 1
	for end < len(b) && end < i+maxSig && b[end] != '"' {
		end++
	}
	return b[i:end]
}

func stratumLogin(b []byte, _ int) []byte {
	if b = jsonObject(b); b == nil || !contains(b, `"agent"`) {
		return nil
	}
	i := index(b, `"login"`)
	if i < 0 {
		return nil
	}
	return b[i : i+7]
}
