//go:build nfr_inject_panic

package flb

import (
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

// InjectPanicPrefix makes scoring panic on DNS events whose query starts
// with it, in builds with the nfr_inject_panic tag only (tests of panic
// recovery through the real .so).
const InjectPanicPrefix = "nfr-inject-panic."

func init() {
	beforeScore = func(ev *scoring.Event) {
		if strings.HasPrefix(ev.DNS.Query, InjectPanicPrefix) {
			panic("injected panic while scoring " + ev.DNS.Query)
		}
	}
}
