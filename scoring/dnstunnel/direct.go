package dnstunnel

import (
	"github.com/netflightrecorder/nfr/scoring"
)

// Direct mode: tunnels such as dnscat2 without a domain ("dnscat.<hex>")
// or iodine pointed at a made-up zone send their queries straight to the
// tunnel server's address, under names that end in no public suffix (no
// resolver could forward them). Such a name has no registered domain to
// group by, so all of a source's names without a public suffix share one
// window, keyed DirectDomain, and are measured in full (every label can
// carry data) by the same rules. Reserved and local-only names (RFC 2606,
// RFC 6761, mDNS .local, .onion, .arpa) are left out: resolvers answer
// those locally or never.

// DirectDomain is the window key and evidence entry of names without a
// public suffix; the alert's destination is the server they were sent to.
const DirectDomain = "(no public suffix)"

// directName reports whether name ends in no public suffix: its last label
// is no ICANN TLD (the suffix list's implicit "*" rule) nor reserved.
func directName(ev *scoring.Event, name *scoring.FQDN) bool {
	if name.ICANN || len(name.Suffix) != len(name.TLD) || ev.DstIP.IsMulticast() {
		return false
	}
	switch name.TLD {
	case "test", "example", "invalid", "localhost", "local", "localdomain", "onion", "arpa", "alt":
		return false
	}
	return true
}
