package dnstunnel_test

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dnstunnel"
)

// corpusDir returns $NFR_CORPUS or skips: the evaluation corpus is read only
// by `make eval`, never by `make test`.
func corpusDir(t *testing.T) string {
	dir := os.Getenv("NFR_CORPUS")
	if dir == "" {
		t.Skip("NFR_CORPUS not set (run build/eval.d/behaviour.sh)")
	}
	return dir
}

// TestEvalNetrack replays domains/tunnel/netrack-train.csv as query
// streams: tunnel names and plain names separately, round-robin over a few
// hosts, one query every 200ms of event time.
func TestEvalNetrack(t *testing.T) {
	path := filepath.Join(corpusDir(t), "domains", "tunnel", "netrack-train.csv")
	tunnel, plain := readNetrack(t, path)
	const hosts = 3

	type stream struct {
		queries, flaggedAt int
		rule               string
		meanBytes          float64
	}
	replay := func(names []string, label string) map[string]*stream {
		d := dnstunnel.New(dnstunnel.DefaultConfig())
		streams := map[string]*stream{}
		var ev scoring.Event
		var f scoring.FQDN
		var r scoring.Report
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i, q := range names {
			host := netip.AddrFrom4([4]byte{10, 1, 0, byte(1 + i%hosts)})
			ev.Reset()
			ev.Type, ev.Time, ev.SrcIP = scoring.TypeDNS, base.Add(time.Duration(i)*200*time.Millisecond), host
			ev.DNS.Query, ev.DNS.QType = q, 1
			f.Parse(q)
			r.Reset()
			d.Inspect(&ev, &f, &r)
			reg := f.Registered
			if !f.Valid { // the detector falls back to the last two labels
				labels := strings.Split(strings.TrimSuffix(q, "."), ".")
				reg = strings.Join(labels[max(len(labels)-2, 0):], ".")
			}
			k := host.String() + " " + reg
			s := streams[k]
			if s == nil {
				s = &stream{}
				streams[k] = s
			}
			s.queries++
			for _, h := range r.Hits {
				if s.flaggedAt == 0 {
					s.flaggedAt, s.rule = s.queries, h.Evidence.Rule
					for _, f := range h.Evidence.Figures {
						if f.Name == "mean_name_bytes" {
							s.meanBytes = f.Value
						}
					}
				}
			}
		}
		return streams
	}

	ts := replay(tunnel, "tunnel")
	keys := sortedKeys(ts)
	worst, small := 0, 0
	for _, k := range keys {
		s := ts[k]
		if s.queries < 50 {
			small++
			continue
		}
		fmt.Printf("eval dnstunnel tunnel stream %-28s queries=%-5d flagged_at=%-3d rule=%s mean_name_bytes=%.1f\n", k, s.queries, s.flaggedAt, s.rule, s.meanBytes)
		if s.flaggedAt == 0 || s.flaggedAt > 50 {
			t.Errorf("tunnel stream %s not flagged within 50 queries (flagged at %d)", k, s.flaggedAt)
		}
		worst = max(worst, s.flaggedAt)
	}
	fmt.Printf("eval dnstunnel tunnel: %d names, %d streams of >=50 queries, worst first flag at query %d; %d streams under 50 queries (stray rows) not judged\n",
		len(tunnel), len(keys)-small, worst, small)

	ps := replay(plain, "plain")
	flagged := 0
	for k, s := range ps {
		if s.flaggedAt != 0 {
			flagged++
			t.Errorf("plain stream %s flagged (%s)", k, s.rule)
		}
	}
	fmt.Printf("eval dnstunnel plain: %d names, %d streams, %d flagged\n", len(plain), len(ps), flagged)
}

func readNetrack(t *testing.T, path string) (tunnel, plain []string) {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		label, name, ok := strings.Cut(sc.Text(), ",")
		switch {
		case !ok:
			continue
		case label == "1":
			tunnel = append(tunnel, name)
		case label == "0":
			plain = append(plain, name)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tunnel, plain
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
