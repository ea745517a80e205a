// Package detectortest is test support for the detector packages: a
// Feeder runs events through one scoring.Detector and records what it
// raises, and CheckConfigKeys checks that Validate names the key at fault.
// It is imported by tests only; it does no I/O.
package detectortest

import (
	"errors"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
)

// Feeder feeds events to a detector D (typed, so tests reach the
// detector's own fields through it). Tests fill Ev (and Name for named
// events), then call Run.
type Feeder[D scoring.Detector] struct {
	D      D
	Ev     scoring.Event
	Name   scoring.FQDN
	Report scoring.Report
	Hits   []scoring.Hit // every hit raised so far, in order
	N      int           // events run
	first  map[scoring.ThreatID]int
	any    int
}

// Run inspects Ev with name (nil for events without one) after the intel
// stage reported categories, and records the hits. It returns this event's hits.
func (f *Feeder[D]) Run(name *scoring.FQDN, categories ...string) []scoring.Hit {
	f.Report.Reset()
	for _, c := range categories {
		f.Report.AddCategory(c)
	}
	f.D.Inspect(&f.Ev, name, &f.Report)
	f.N++
	for _, h := range f.Report.Hits {
		if f.first == nil {
			f.first = map[scoring.ThreatID]int{}
		}
		if f.first[h.Threat] == 0 {
			f.first[h.Threat] = f.N
		}
		if f.any == 0 {
			f.any = f.N
		}
	}
	f.Hits = append(f.Hits, f.Report.Hits...)
	return f.Report.Hits
}

// Count is how many hits of threat id were raised.
func (f *Feeder[D]) Count(id scoring.ThreatID) int {
	n := 0
	for _, h := range f.Hits {
		if h.Threat == id {
			n++
		}
	}
	return n
}

// First is the 1-based index of the event that first raised id; 0 if none.
func (f *Feeder[D]) First(id scoring.ThreatID) int { return f.first[id] }

// FirstAny is the 1-based index of the first event that raised anything; 0 if none.
func (f *Feeder[D]) FirstAny() int { return f.any }

// CheckConfigKeys checks that the default config validates, then applies
// each mutation to a default config and checks that validate then fails
// with a *scoring.ConfigError naming that key.
func CheckConfigKeys[C any](t *testing.T, defaults func() C, validate func(C) error, cases map[string]func(*C)) {
	t.Helper()
	if err := validate(defaults()); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for key, mutate := range cases {
		c := defaults()
		mutate(&c)
		var ce *scoring.ConfigError
		if err := validate(c); !errors.As(err, &ce) || ce.Key != key {
			t.Errorf("%s: got %v", key, err)
		}
	}
}
