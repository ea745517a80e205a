//go:build nfr_inject_panic

package flb

import (
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

func init() {
	onAlert = func(a *scoring.Alert) {
		if strings.HasPrefix(a.Event.DNS.Query, InjectPanicPrefix) {
			panic("injected panic while scoring " + a.Event.DNS.Query)
		}
	}
}
