package dga

import "github.com/netflightrecorder/nfr/scoring"

// Detector is the dga detector. Not safe for concurrent use.
type Detector struct {
	cfg Config
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector { return &Detector{cfg: cfg} }

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "dga" }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {}

// Score returns the probability-like DGA score (0..1) of the name's
// carrying label(s). It does not allocate.
func Score(f *scoring.FQDN) float64 { return 0 }
