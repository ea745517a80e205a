package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga"
)

// wordlistFamilies names the corpus families built from dictionary words;
// every other family is random-character. This labels the report's rows
// only: scoring knows nothing of families.
var wordlistFamilies = map[string]bool{"suppobox": true, "matsnu": true, "gozi": true, "nymaim2": true}

// evaluate prints, for DIR/dga/*.txt, the share of names flagged per family
// and, for DIR/benign/*.txt, the share flagged per list.
func evaluate(m *dga.Model, dir string, threshold float64, verbose bool) error {
	dgaFiles, _ := filepath.Glob(filepath.Join(dir, "dga", "*.txt"))
	benignFiles, _ := filepath.Glob(filepath.Join(dir, "benign", "*.txt"))
	if len(dgaFiles)+len(benignFiles) == 0 {
		return fmt.Errorf("no dga/*.txt or benign/*.txt under %s", dir)
	}
	sort.Strings(dgaFiles)
	sort.Strings(benignFiles)
	fmt.Printf("one DGA model at threshold %g on %s (if it trained on this corpus, these figures do not count: see -cv)\n", threshold, dir)
	fmt.Printf("%-20s %-17s %6s %8s %8s\n", "family", "kind", "names", "flagged", "rate")
	for _, path := range dgaFiles {
		fam := strings.TrimSuffix(filepath.Base(path), ".txt")
		kind := "random-character"
		if wordlistFamilies[fam] {
			kind = "wordlist"
		}
		n, flagged, examples, err := scoreFile(m, path, threshold, false)
		if err != nil {
			return err
		}
		fmt.Printf("%-20s %-17s %6d %8d %7.2f%%\n", fam, kind, n, flagged, pct(flagged, n))
		if verbose {
			fmt.Printf("    missed: %s\n", strings.Join(examples, " "))
		}
	}
	fmt.Printf("%-38s %6s %8s %8s\n", "benign list", "names", "flagged", "rate")
	for _, path := range benignFiles {
		n, flagged, examples, err := scoreFile(m, path, threshold, true)
		if err != nil {
			return err
		}
		fmt.Printf("%-38s %6d %8d %7.2f%%\n", strings.TrimSuffix(filepath.Base(path), ".txt"), n, flagged, pct(flagged, n))
		if verbose {
			fmt.Printf("    flagged: %s\n", strings.Join(examples, " "))
		}
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// scoreFile scores every name in path; examples lists up to 60 names that
// were flagged (wantFlagged) or missed (!wantFlagged).
func scoreFile(m *dga.Model, path string, threshold float64, wantFlagged bool) (n, flagged int, examples []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil, err
	}
	defer f.Close()
	var fq scoring.FQDN
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		fq.Parse(name)
		n++
		s := m.Score(&fq)
		hit := s >= threshold
		if hit {
			flagged++
		}
		if hit == wantFlagged && len(examples) < 60 {
			examples = append(examples, fmt.Sprintf("%s(%.2f)", name, s))
		}
	}
	return n, flagged, examples, sc.Err()
}

// simulateHost feeds names as one host's DNS lookups spread evenly over
// window and reports whether dga_volume was raised.
func simulateHost(d *dga.Detector, names []string, rcode int16, window time.Duration) bool {
	src := netip.MustParseAddr("192.0.2.1")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	step := window / time.Duration(len(names)+1)
	var r scoring.Report
	var f scoring.FQDN
	for i, n := range names {
		ev := scoring.Event{Time: t0.Add(time.Duration(i) * step), Type: scoring.TypeDNS, SrcIP: src,
			DNS: scoring.DNS{Query: n, Rcode: rcode, Response: true}}
		r.Reset()
		f.Parse(n)
		d.Inspect(&ev, &f, &r)
		for _, h := range r.Hits {
			if h.Threat == scoring.DGAVolume {
				return true
			}
		}
	}
	return false
}
