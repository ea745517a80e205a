// Package intel matches events against threat indicators: nfr's built-in
// lists and user feeds. It holds compiled sets only; reading feed files is
// formats/feeds' job. It must not do I/O.
package intel

import "github.com/netflightrecorder/nfr/scoring"

// Index is a compiled, immutable set of indicators. Safe for concurrent reads.
type Index struct{}

// Builtin returns the index of nfr's built-in indicators.
func Builtin() *Index { return &Index{} }

// DomainCategories returns the categories (e.g. "tor", "mining") that f matches.
func (ix *Index) DomainCategories(f *scoring.FQDN) []string { return nil }
