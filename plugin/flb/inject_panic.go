//go:build nfr_inject_panic

package flb

import (
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

func init() {
	beforeScore = func(ev *scoring.Event) {
		if strings.HasPrefix(ev.DNS.Query, InjectPanicPrefix) {
			panic("injected panic while scoring " + ev.DNS.Query)
		}
	}
}
