package brand

import "github.com/netflightrecorder/nfr/scoring"

// Detector is the brand detector. Not safe for concurrent use.
type Detector struct {
	cfg Config
}

// New returns a detector with configuration cfg (already validated).
func New(cfg Config) *Detector { return &Detector{cfg: cfg} }

// Name implements scoring.Detector.
func (d *Detector) Name() string { return "brand" }

// Inspect implements scoring.Detector.
func (d *Detector) Inspect(ev *scoring.Event, name *scoring.FQDN, r *scoring.Report) {}
