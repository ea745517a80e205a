package alert

import (
	"fmt"

	"github.com/netflightrecorder/nfr/scoring"
)

// Encoder appends an alert's encoding to dst. JSON yields one line without
// a trailing newline; CEF yields one line per threat, each ending in "\n".
type Encoder func(dst []byte, a *scoring.Alert) []byte

// EncoderFor returns the encoder for a config format name: "json" or "cef".
func EncoderFor(format string) (Encoder, error) {
	switch format {
	case "json":
		return AppendJSON, nil
	case "cef":
		return AppendCEF, nil
	}
	return nil, fmt.Errorf("alert: unknown format %q (want json or cef)", format)
}
