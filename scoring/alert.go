package scoring

import "time"

// Alert is what nfr emits: the event that triggered it, the threats it
// raised, and the evidence for each. Alerts are built only on the (rare)
// alert path, so they may allocate.
type Alert struct {
	Time     time.Time
	Event    Event // deep copy of the triggering event
	Threats  []ThreatHit
	Severity int      // the highest threat severity
	Flags    []string // noteworthy properties that are not threats by themselves, e.g. "dga"
	Groups   []Group
	Evidence []Evidence
	// Count is how many times the same (source, threat, indicator) was seen
	// within the suppression window; 1 for a first sighting.
	Count int
}

// ThreatHit is a catalogue threat as raised in one alert.
type ThreatHit struct {
	ID       ThreatID
	Severity int
	Policy   bool
	Desc     string
}

// Group is a scope group an alert's source belongs to.
type Group struct {
	Label string
	Desc  string
}

// Figure is one named number behind a decision (a score, a count, a rate).
type Figure struct {
	Name  string
	Value float64
}

// Evidence says what fired and why.
type Evidence struct {
	Threat    ThreatID // empty for evidence behind a flag
	Detector  string   // the detector that decided, e.g. "intel", "dga", "dnstunnel"
	Rule      string   // the rule or model within it, e.g. "feed", "builtin", "score>=0.9"
	List      string   // the indicator list or feed name, when one matched
	Entry     string   // the matched indicator (domain, IP, CIDR, port)
	Ref       string   // where the indicator comes from (source note, feed path)
	Indicator string   // what suppression keys on; defaults to Entry, else the query or destination
	Window    time.Duration
	Figures   []Figure
}
