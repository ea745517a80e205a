package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/dga"
)

// familySchemes says, for corpus families whose scheme is publicly
// described, which of the project's generators (package gen) implements
// that scheme, so a reader can judge how far a held-out figure is
// generalisation: "-" means no generator implements it. This labels the
// report only; nothing is trained from it.
var familySchemes = map[string]string{
	"banjori":          "seed-word",
	"bazarbackdoor":    "- (alt-root TLD feature)",
	"chinad":           "alnum",
	"corebot":          "alnum",
	"dircrypt":         "lcg-letters",
	"fobber":           "lcg-letters",
	"kraken-v1":        "-",
	"murofet-v1":       "md5-hex (hash to letters)",
	"necurs":           "lcg-letters",
	"newgoz":           "sha256-base36",
	"pushdo":           "cv-strict",
	"pykspa-precursor": "-",
	"qakbot":           "lcg-letters",
	"ramnit":           "lcg-letters",
	"simda":            "cv-strict",
	"suppobox":         "word-pair",
	"symmi":            "letter-pairs",
	"tinba":            "lcg-letters",
}

// scored is one name, the score a model gave it and its rank (0-based line
// among the names of its list).
type scored struct {
	name  string
	score float64
	rank  int
}

// scoreNames scores names; ranks[i] is names[i]'s rank (nil: its index).
func scoreNames(m *dga.Model, names []string, ranks []int) []scored {
	out := make([]scored, len(names))
	var f scoring.FQDN
	for i, n := range names {
		f.Parse(n)
		out[i] = scored{n, m.Score(&f), i}
		if ranks != nil {
			out[i].rank = ranks[i]
		}
	}
	return out
}

// volumeCount is dga_volume on simulated hosts: how many, how many raised it.
type volumeCount struct{ hosts, raised int }

// crossValidate trains one model per fold of c and reports, on held-out
// names only, detection per DGA family, flagged rate per benign list (at
// cfg.Threshold and at others) and dga_volume on simulated hosts.
func crossValidate(c *corpus, mat *material, hidden, epochs int, seed uint64, cfg dga.Config, verbose bool) error {
	fams := make([][]scored, len(c.families))
	benign := make([][]scored, len(c.benign))
	famVol := make([]volumeCount, len(c.families))
	benignVol := make([]volumeCount, len(c.benign))
	// The noise filter's model never sees the corpus, so one serves every fold.
	pre := train(mat, corpusData{}, hidden, epochs, seed)
	for fold := 0; fold < c.folds; fold++ {
		cd := c.trainingData(fold).withoutLikelyDGA(pre, *noiseThreshold)
		fmt.Fprintf(os.Stderr, "train: fold %d of %d: %s\n", fold+1, c.folds, cd.note)
		m := train(mat, cd, hidden, epochs, seed)
		for i, f := range c.families {
			if f.fold != fold {
				continue
			}
			fams[i] = scoreNames(m, f.names, nil)
			famVol[i] = simulateHosts(m, cfg, f.names, 20, scoring.RcodeNXDomain)
		}
		for i, l := range c.benign {
			var held []string
			var ranks []int
			for r, n := range l.names {
				if c.benignFold(n) == fold {
					held, ranks = append(held, n), append(ranks, r)
				}
			}
			benign[i] = append(benign[i], scoreNames(m, held, ranks)...)
			v := simulateHosts(m, cfg, held, 1000, scoring.RcodeNoError)
			benignVol[i].hosts += v.hosts
			benignVol[i].raised += v.raised
		}
	}
	printHeldOut(c, fams, benign, cfg.Threshold, verbose)
	printSweep(c, fams, benign)
	printWhereFlagged(c, benign, cfg.Threshold)
	printVolume(c, famVol, benignVol, cfg)
	return nil
}

func flaggedCount(s []scored, threshold float64) int {
	k := 0
	for _, x := range s {
		if x.score >= threshold {
			k++
		}
	}
	return k
}

func familyKind(name string) string {
	if wordlistFamilies[name] {
		return "wordlist"
	}
	return "random-character"
}

func printHeldOut(c *corpus, fams, benign [][]scored, threshold float64, verbose bool) {
	fmt.Printf("DGA model, %d-fold cross-validation by family: every figure below is on names the scoring model never saw\n", c.folds)
	fmt.Printf("threshold %.3f\n", threshold)
	fmt.Printf("%-17s %-16s %-26s %4s %-8s %6s %8s\n", "family", "kind", "scheme trained (- = none)", "fold", "held-out", "names", "detected")
	for i, f := range c.families {
		scheme, ok := familySchemes[f.name]
		if !ok {
			scheme = "?"
		}
		k := flaggedCount(fams[i], threshold)
		fmt.Printf("%-17s %-16s %-26s %4d %-8s %6d %7.2f%%\n", f.name, familyKind(f.name), scheme, f.fold+1, "yes", len(fams[i]), pct(k, len(fams[i])))
		if verbose {
			fmt.Printf("    missed: %s\n", examples(fams[i], threshold, false))
		}
	}
	fmt.Printf("%-17s %-52s %6s %8s\n", "benign list", "held-out names (each by the fold that never saw it)", "names", "flagged")
	for i, l := range c.benign {
		k := flaggedCount(benign[i], threshold)
		fmt.Printf("%-17s %-52s %6d %7.2f%%\n", l.name, "yes", len(benign[i]), pct(k, len(benign[i])))
		if verbose {
			fmt.Printf("    flagged: %s\n", examples(benign[i], threshold, true))
		}
	}
}

// examples lists up to 40 names that were flagged (or missed).
func examples(s []scored, threshold float64, flagged bool) string {
	var out []string
	for _, x := range s {
		if (x.score >= threshold) == flagged && len(out) < 40 {
			out = append(out, fmt.Sprintf("%s(%.3f)", x.name, x.score))
		}
	}
	return strings.Join(out, " ")
}

// sweepThresholds are the thresholds of the trade-off table.
var sweepThresholds = []float64{0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.992, 0.994, 0.996, 0.998, 0.999}

// printSweep prints held-out detection and flagged rates at other
// thresholds: the measurement the default threshold is chosen from.
func printSweep(c *corpus, fams, benign [][]scored) {
	fmt.Printf("held-out flagged %% at other thresholds (the default is %g)\n%-17s", dga.DefaultConfig().Threshold, "list")
	for _, t := range sweepThresholds {
		fmt.Printf(" %6.3f", t)
	}
	fmt.Println()
	row := func(name string, s []scored) {
		fmt.Printf("%-17s", name)
		for _, t := range sweepThresholds {
			fmt.Printf(" %6.2f", pct(flaggedCount(s, t), len(s)))
		}
		fmt.Println()
	}
	for i, f := range c.families {
		row(f.name, fams[i])
	}
	for i, l := range c.benign {
		row(l.name, benign[i])
	}
}

func printVolume(c *corpus, famVol, benignVol []volumeCount, cfg dga.Config) {
	fmt.Printf("dga_volume on simulated hosts, held-out names (window %s, min weighted lookups %g, NXDOMAIN weight %g)\n",
		cfg.VolumeWindow, cfg.VolumeMinLookups, cfg.NXDomainWeight)
	fmt.Printf("%-17s %-36s %6s %8s\n", "list", "each host", "hosts", "raised")
	for i, f := range c.families {
		fmt.Printf("%-17s %-36s %6d %8d\n", f.name, "20 names, NXDOMAIN, in 5 minutes", famVol[i].hosts, famVol[i].raised)
	}
	for i, l := range c.benign {
		fmt.Printf("%-17s %-36s %6d %8d\n", l.name, "1000 names, answered, in 5 minutes", benignVol[i].hosts, benignVol[i].raised)
	}
}

// simulateHosts splits names into hosts of chunk consecutive names each,
// all with answer rcode, and counts the hosts that raised dga_volume.
func simulateHosts(m *dga.Model, cfg dga.Config, names []string, chunk int, rcode int16) volumeCount {
	var v volumeCount
	for start := 0; start+chunk <= len(names); start += chunk {
		v.hosts++
		if simulateHost(dga.NewWithModel(cfg, m), names[start:start+chunk], rcode, cfg.VolumeWindow) {
			v.raised++
		}
	}
	return v
}
