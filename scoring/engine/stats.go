package engine

import "github.com/netflightrecorder/nfr/scoring"

// counters are the engine's running totals (guarded by Engine.mu).
type counters struct {
	events, scored, outOfScope, trusted uint64
	alerts, suppressed                  uint64
	byThreat                            map[scoring.ThreatID]uint64
}

// Stats is a snapshot of the engine's counters and state sizes.
type Stats struct {
	Events     uint64 // events processed
	Scored     uint64 // events that went through intel and detectors
	OutOfScope uint64 // events whose source is in no group's scope
	Trusted    uint64 // events whose destination a group trusts
	Alerts     uint64 // alerts emitted
	Suppressed uint64 // hits held back by suppression
	// AlertsByThreat counts emitted alerts per threat they carry.
	AlertsByThreat map[scoring.ThreatID]uint64
	// State is the bounded state of each detector that keeps some, by
	// detector name, of suppression ("suppress") and of the memo of query
	// names and the cache of answer addresses that matched no indicator
	// ("intel_names").
	State map[string]scoring.StateStats
	// IntelIndicators is the number of indicator keys in the intel index.
	IntelIndicators int
}

// Stats returns a snapshot. It allocates; call it for reporting, not per event.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Stats{
		Events:         e.stats.events,
		Scored:         e.stats.scored,
		OutOfScope:     e.stats.outOfScope,
		Trusted:        e.stats.trusted,
		Alerts:         e.stats.alerts,
		Suppressed:     e.stats.suppressed,
		AlertsByThreat: make(map[scoring.ThreatID]uint64, len(e.stats.byThreat)),
		State: map[string]scoring.StateStats{
			"suppress": e.suppress.state(),
			"intel_names": {Entries: e.names.Len(), Capacity: e.names.Cap(),
				Evictions: e.names.Evictions(), Bytes: e.names.Bytes() + cleanAnswerSlots*24},
		},
		IntelIndicators: e.intel.Load().Len(),
	}
	for k, v := range e.stats.byThreat {
		s.AlertsByThreat[k] = v
	}
	for _, d := range e.detectors {
		if sr, ok := d.(scoring.StateReporter); ok {
			s.State[d.Name()] = sr.State()
		}
	}
	return s
}
