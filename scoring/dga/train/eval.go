package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	fmt.Printf("DGA model at threshold %.2f (trained without the corpus: every family is held out)\n", threshold)
	fmt.Printf("%-20s %-17s %-9s %6s %8s %8s\n", "family", "kind", "held-out", "names", "flagged", "rate")
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
		fmt.Printf("%-20s %-17s %-9s %6d %8d %7.2f%%\n", fam, kind, "yes", n, flagged, pct(flagged, n))
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

// sweep prints, for a few thresholds, the flagged rate of every file under
// DIR: a diagnostic of the trade-off, not the evaluation.
func sweep(m *dga.Model, dir string) error {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	ths := []float64{0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995}
	fmt.Printf("%-20s", "file")
	for _, t := range ths {
		fmt.Printf(" %6.3f", t)
	}
	fmt.Println()
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var scores []float64
		var fq scoring.FQDN
		for _, l := range strings.Fields(string(b)) {
			fq.Parse(l)
			scores = append(scores, m.Score(&fq))
		}
		fmt.Printf("%-20s", strings.TrimSuffix(filepath.Base(path), ".txt"))
		for _, t := range ths {
			k := 0
			for _, s := range scores {
				if s >= t {
					k++
				}
			}
			fmt.Printf(" %6.2f", pct(k, len(scores)))
		}
		fmt.Println()
	}
	return nil
}
