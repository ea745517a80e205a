package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga"
)

// corpus is a folder of real domain lists (DIR/dga/<family>.txt,
// DIR/benign/<list>.txt, one name a line), split into folds for
// cross-validation: each DGA family belongs to exactly one fold (so a
// family is either wholly trained on or wholly held out), and each benign
// name to the fold its scored label hashes to (so www.x.com and x.net land
// in the same fold).
type corpus struct {
	folds    int
	families []nameList // sorted by name; fold = position mod folds
	benign   []nameList // sorted by name
}

// nameList is one file of the corpus.
type nameList struct {
	name  string
	fold  int // DGA families only
	names []string
}

// loadCorpus reads dir; an absent dir gives a nil corpus and no error.
func loadCorpus(dir string, folds int) (*corpus, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil, nil
	}
	c := &corpus{folds: folds}
	var err error
	if c.families, err = readLists(filepath.Join(dir, "dga")); err != nil {
		return nil, err
	}
	if c.benign, err = readLists(filepath.Join(dir, "benign")); err != nil {
		return nil, err
	}
	if len(c.families)+len(c.benign) == 0 {
		return nil, fmt.Errorf("corpus %s: no dga/*.txt or benign/*.txt", dir)
	}
	for i := range c.families {
		c.families[i].fold = i % folds
	}
	return c, nil
}

func readLists(dir string) ([]nameList, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []nameList
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		l := nameList{name: strings.TrimSuffix(filepath.Base(path), ".txt")}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") {
				l.names = append(l.names, line)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// scoredLabel is the label the model scores for name ("" when none).
func scoredLabel(name string) string {
	var f scoring.FQDN
	f.Parse(name)
	return dga.NameLabel(&f)
}

// benignFold is the fold of a benign name: a stable hash of its scored label.
func (c *corpus) benignFold(name string) int {
	l := scoredLabel(name)
	if l == "" {
		l = name
	}
	return int(hash(l) % uint32(c.folds))
}

// corpusData is the part of the corpus a model trains on.
type corpusData struct {
	families [][]string // DGA names, one slice per family trained on
	benign   []string
	note     string // what was trained on, for the report
}

// trainingData returns every name outside heldOut (-1: the whole corpus).
func (c *corpus) trainingData(heldOut int) corpusData {
	var d corpusData
	if c == nil {
		d.note = "no corpus: generated names and word lists only"
		return d
	}
	var fams []string
	for _, f := range c.families {
		if f.fold != heldOut {
			d.families = append(d.families, f.names)
			fams = append(fams, f.name)
		}
	}
	for _, l := range c.benign {
		for _, n := range l.names {
			if heldOut < 0 || c.benignFold(n) != heldOut {
				d.benign = append(d.benign, n)
			}
		}
	}
	d.note = fmt.Sprintf("corpus: %d benign names, DGA families %s", len(d.benign), strings.Join(fams, " "))
	return d
}

// withoutLikelyDGA drops from d's benign names those that pre (a model
// trained without the corpus) scores at or above threshold: lists of
// popular names include real DGA names (malware resolves them often), and
// learning those as benign would teach the model to miss DGA. Only
// training data is filtered; held-out names are always scored as listed.
func (d corpusData) withoutLikelyDGA(pre *dga.Model, threshold float64) corpusData {
	if threshold <= 0 || threshold > 1 {
		return d
	}
	kept := make([]string, 0, len(d.benign))
	var f scoring.FQDN
	for _, n := range d.benign {
		f.Parse(n)
		if pre.ScoreName(dga.NameOf(&f)) < threshold { // the label as trained on
			kept = append(kept, n)
		}
	}
	d.note += fmt.Sprintf(" (%d benign names left out of training: scored >= %g without the corpus)", len(d.benign)-len(kept), threshold)
	d.benign = kept
	return d
}
