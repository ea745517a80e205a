package engine

import (
	"fmt"

	"github.com/netflightrecorder/nfr/scoring"
)

// seenHit remembers, within one event, the suppression decision for a
// (threat, indicator) so that two lists matching the same indicator count
// as one sighting.
type seenHit struct {
	threat    scoring.ThreatID
	indicator string
	alert     bool
	count     int
}

// raise turns the report's hits into an alert, drops the hits suppression
// holds back, and emits the alert if any hit remains. This is the alert
// path: it may allocate, but not for an event whose hits are all held
// back (a repeat sighting).
func (e *Engine) raise(ev *scoring.Event, noSource bool, emit func(*scoring.Alert)) {
	r := &e.report
	e.seen = e.seen[:0]
	var a *scoring.Alert
	for i := range r.Hits {
		h := &r.Hits[i]
		ind := e.indicatorOf(ev, &h.Evidence)
		alert, count := e.decide(ev, h.Threat, ind)
		if !alert {
			continue
		}
		if a == nil {
			a = &scoring.Alert{Time: ev.Time}
		}
		addThreat(a, h.Threat)
		evd := copyEvidence(h.Evidence)
		evd.Threat, evd.Indicator = h.Threat, ind
		a.Evidence = append(a.Evidence, evd)
		a.Count = max(a.Count, count)
	}
	if a == nil || len(a.Threats) == 0 {
		return
	}
	a.Event = ev.Clone()
	if subject := scopeSubject(ev); subject != ev.SrcIP {
		// An echo reply: orient the alert as Zeek orients connections, with
		// the host that sent the request as the source (icmp.type still
		// says it was the reply that fired).
		a.Event.SrcIP, a.Event.DstIP = subject, ev.SrcIP
		a.Event.SrcPort, a.Event.DstPort = ev.DstPort, ev.SrcPort
	}
	a.Flags = append([]string(nil), r.Flags...)
	for _, fe := range r.FlagEvidence {
		a.Evidence = append(a.Evidence, copyEvidence(fe))
	}
	a.Groups = e.groupsOf(noSource)
	e.enrichASN(ev, a)
	e.stats.alerts++
	for _, t := range a.Threats {
		e.stats.byThreat[t.ID]++
	}
	emit(a)
}

// decide applies suppression once per (threat, indicator) per event.
func (e *Engine) decide(ev *scoring.Event, t scoring.ThreatID, ind string) (bool, int) {
	for _, s := range e.seen {
		if s.threat == t && s.indicator == ind {
			return s.alert, s.count
		}
	}
	alert, count := e.suppress.check(suppressKey{src: scopeSubject(ev), threat: t, indicator: ind}, ev.Time)
	if !alert {
		e.stats.suppressed++
	}
	e.seen = append(e.seen, seenHit{threat: t, indicator: ind, alert: alert, count: count})
	return alert, count
}

// indicatorOf is what suppression keys on: the evidence's Indicator, else
// its Entry, else the event's name, else its destination address.
func (e *Engine) indicatorOf(ev *scoring.Event, evd *scoring.Evidence) string {
	switch {
	case evd.Indicator != "":
		return evd.Indicator
	case evd.Entry != "":
		return evd.Entry
	case e.name.Valid:
		return e.name.Name
	case ev.DstIP.IsValid():
		return ev.DstIP.String()
	}
	return ""
}

// addThreat adds the catalogue entry for id once, keeping Severity the maximum.
func addThreat(a *scoring.Alert, id scoring.ThreatID) {
	for _, t := range a.Threats {
		if t.ID == id {
			return
		}
	}
	hit := scoring.ThreatHit{ID: id}
	if t, ok := scoring.LookupThreat(id); ok {
		hit = scoring.ThreatHit{ID: id, Severity: t.Severity, Policy: t.Policy, Desc: t.Desc}
	}
	a.Threats = append(a.Threats, hit)
	a.Severity = max(a.Severity, hit.Severity)
}

// copyEvidence detaches evidence from the detector's reused buffers.
func copyEvidence(evd scoring.Evidence) scoring.Evidence {
	evd.Figures = append([]scoring.Figure(nil), evd.Figures...)
	return evd
}

// groupsOf lists the scope groups of the current event's source.
func (e *Engine) groupsOf(noSource bool) []scoring.Group {
	if noSource {
		return []scoring.Group{UnknownSourceGroup}
	}
	if e.scope == nil {
		return nil
	}
	members := e.memberList()
	gs := make([]scoring.Group, 0, len(members))
	for _, i := range members {
		gs = append(gs, e.scope.Group(i))
	}
	return gs
}

// enrichASN adds the destination's autonomous system as flag evidence.
func (e *Engine) enrichASN(ev *scoring.Event, a *scoring.Alert) {
	if e.asn == nil || !ev.DstIP.IsValid() {
		return
	}
	asn, org, ok := e.asn.Lookup(ev.DstIP)
	if !ok {
		return
	}
	a.Evidence = append(a.Evidence, scoring.Evidence{
		Detector: "asn",
		Rule:     "dst-asn",
		Entry:    fmt.Sprintf("AS%d %s", asn, org),
		Figures:  []scoring.Figure{{Name: "asn", Value: float64(asn)}},
	})
}
