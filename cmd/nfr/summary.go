package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
)

// summary counts alerts by threat and by source host for nfr score --summary.
type summary struct {
	byThreat map[scoring.ThreatID]int
	byHost   map[string]map[scoring.ThreatID]int
	total    int
}

func newSummary() *summary {
	return &summary{byThreat: map[scoring.ThreatID]int{}, byHost: map[string]map[scoring.ThreatID]int{}}
}

func (s *summary) add(a *scoring.Alert) {
	s.total++
	host := "-"
	if a.Event.SrcIP.IsValid() {
		host = a.Event.SrcIP.String()
	}
	if s.byHost[host] == nil {
		s.byHost[host] = map[scoring.ThreatID]int{}
	}
	for _, t := range a.Threats {
		s.byThreat[t.ID]++
		s.byHost[host][t.ID]++
	}
}

func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "\n%d alerts\n\n%-28s %8s %6s\n", s.total, "THREAT", "SEVERITY", "ALERTS")
	for _, th := range scoring.Catalogue { // catalogue order: most severe first
		if n := s.byThreat[th.ID]; n > 0 {
			fmt.Fprintf(w, "%-28s %8d %6d\n", th.ID, th.Severity, n)
		}
	}
	hosts := make([]string, 0, len(s.byHost))
	for h := range s.byHost {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	fmt.Fprintf(w, "\n%-40s %s\n", "HOST", "THREATS")
	for _, h := range hosts {
		var parts []string
		for _, th := range scoring.Catalogue {
			if n := s.byHost[h][th.ID]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s×%d", th.ID, n))
			}
		}
		fmt.Fprintf(w, "%-40s %s\n", h, strings.Join(parts, " "))
	}
}
