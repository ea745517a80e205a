package simday

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Lists are the names the simulation draws from.
type Lists struct {
	// Top holds registered domains by popularity, most popular first.
	Top []string
	// LongTail holds rarely visited registered domains.
	LongTail []string

	cdf []float64 // cumulative Zipf weights over Top, built by prepare
}

// LoadCorpus reads the lists from the shared corpus directory dir (the one
// holding domains/benign): Top from tranco-top100k.csv, LongTail from
// opendns-random10k.txt.
func LoadCorpus(dir string) (*Lists, error) {
	benign := filepath.Join(dir, "domains", "benign")
	top, err := readLines(filepath.Join(benign, "tranco-top100k.csv"), func(s string) string {
		if i := strings.IndexByte(s, ','); i >= 0 {
			return s[i+1:]
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	tail, err := readLines(filepath.Join(benign, "opendns-random10k.txt"), func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	return &Lists{Top: top, LongTail: tail}, nil
}

// readLines returns the non-empty, lower-cased results of field over the
// file's lines.
func readLines(path string, field func(string) string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.ToLower(strings.TrimSpace(field(strings.TrimSpace(sc.Text())))); s != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no names", path)
	}
	return out, nil
}

// prepare builds the Zipf table (s = 1: rank r has weight 1/r).
func (l *Lists) prepare() error {
	if len(l.Top) == 0 || len(l.LongTail) == 0 {
		return fmt.Errorf("simday: Lists.Top and Lists.LongTail must not be empty")
	}
	if len(l.cdf) == len(l.Top) {
		return nil
	}
	l.cdf = make([]float64, len(l.Top))
	sum := 0.0
	for i := range l.Top {
		sum += 1 / float64(i+1)
		l.cdf[i] = sum
	}
	return nil
}

// popular draws a registered domain by popularity.
func (l *Lists) popular(r *rand.Rand) string {
	x := r.Float64() * l.cdf[len(l.cdf)-1]
	return l.Top[sort.SearchFloat64s(l.cdf, x)]
}
