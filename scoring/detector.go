package scoring

// Detector inspects one event at a time and reports what it finds.
//
// Contract: Inspect must not perform I/O, read the wall clock, retain ev or
// name after returning, or grow state beyond its configured caps. It is
// called by one goroutine at a time (the engine serialises calls), so
// implementations need no locking. The hot path (an event that raises
// nothing) should not allocate.
type Detector interface {
	// Name is the detector's one stable name ("dga", "dnstunnel"): its
	// package, its key in the engine's registry and config.yml, the
	// detector field of its evidence and its key in the engine's stats.
	Name() string
	// Inspect examines ev. name is the breakdown of the event's domain name
	// (DNS query, HTTP host or TLS SNI); name.Valid is false when there is none.
	Inspect(ev *Event, name *FQDN, r *Report)
}

// DetectorConfig is a detector's section of the engine configuration
// (engine.<name> in config.yml). Each detector package's Config implements
// it; the engine's registry (engine.Detectors) holds one field per detector
// and takes the section's defaults, validation and the detector itself from
// it, so nothing else lists the detectors.
type DetectorConfig interface {
	// Defaults returns the section with every key at its default; it is
	// called on the zero value.
	Defaults() DetectorConfig
	// Validate reports the first invalid key as a *ConfigError.
	Validate() error
	// On reports whether the detector runs (the section's enabled key).
	On() bool
	// NewDetector builds the detector from the (valid) section.
	NewDetector() Detector
}

// EventFilter is implemented by detectors that examine only some event
// types: the engine calls their Inspect only for events of a type Wants
// accepts (asked once, when the engine is built).
type EventFilter interface {
	Wants(t EventType) bool
}

// StateReporter is implemented by detectors that keep per-key state, so the
// engine can report state size and evictions.
type StateReporter interface {
	State() StateStats
}

// StateStats describes a detector's bounded state.
type StateStats struct {
	Entries   int
	Capacity  int
	Evictions uint64
	// Bytes estimates the memory the state holds at its capacity: the
	// bound its configuration sets (LRUs grow to it as keys arrive).
	// Suppression, whose keys vary in size, estimates what it holds now.
	Bytes int64
}

// Hit is one threat raised for the event under inspection.
type Hit struct {
	Threat   ThreatID
	Evidence Evidence
}

// Report collects what detectors say about one event. The engine resets and
// reuses it, so recording a hit does not allocate once warmed up.
type Report struct {
	Hits         []Hit
	Flags        []string
	FlagEvidence []Evidence
	// Categories lists the intel categories the event's name or addresses
	// matched (set by the intel stage, which runs first), so later
	// detectors can use them, e.g. to skip known CDN or DNSBL names.
	Categories []string
}

// Reset empties r, keeping capacity.
func (r *Report) Reset() {
	r.Hits = r.Hits[:0]
	r.Flags = r.Flags[:0]
	r.FlagEvidence = r.FlagEvidence[:0]
	r.Categories = r.Categories[:0]
}

// Raise records threat id with its evidence.
func (r *Report) Raise(id ThreatID, ev Evidence) {
	ev.Threat = id
	r.Hits = append(r.Hits, Hit{Threat: id, Evidence: ev})
}

// Flag records a flag (e.g. "dga") with the evidence behind it.
func (r *Report) Flag(flag string, ev Evidence) {
	for _, f := range r.Flags {
		if f == flag {
			return
		}
	}
	r.Flags = append(r.Flags, flag)
	r.FlagEvidence = append(r.FlagEvidence, ev)
}

// HasFlag reports whether flag was recorded for this event.
func (r *Report) HasFlag(flag string) bool {
	for _, f := range r.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// HasCategory reports whether the intel stage matched category c.
func (r *Report) HasCategory(c string) bool {
	for _, x := range r.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// HasAnyCategory reports whether any of cats was recorded: detectors use
// it for their exempt_categories.
func (r *Report) HasAnyCategory(cats []string) bool {
	if len(r.Categories) == 0 {
		return false
	}
	for _, c := range cats {
		if r.HasCategory(c) {
			return true
		}
	}
	return false
}

// AddCategory records an intel category once.
func (r *Report) AddCategory(c string) {
	if !r.HasCategory(c) {
		r.Categories = append(r.Categories, c)
	}
}
