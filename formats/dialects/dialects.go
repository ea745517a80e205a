// Package dialects links every input dialect into a binary: import it
// wherever records of any dialect may arrive (the Fluent Bit plugin, the
// sidecar, nfr score's auto-detection), so that a record.Mapper knows
// all their keys. Adding a dialect is its package plus one line in All.
package dialects

import (
	"github.com/netflightrecorder/nfr/formats/msdns"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/formats/suricata"
	"github.com/netflightrecorder/nfr/formats/zeek"
)

// All is every input dialect (the sniffer's, record's own, aside), in the
// order formats/input.Detect asks them about a file.
var All = []*record.Dialect{
	&suricata.Dialect,
	&zeek.Dialect,
	&msdns.Dialect,
}
