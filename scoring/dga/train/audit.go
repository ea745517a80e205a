package main

import (
	"fmt"
	"slices"
	"strings"
)

// bandSize is the width, in ranks, of the bands the benign-list audit
// counts flagged names in.
const bandSize = 500

// denseFactor: a band is dense when it holds at least 10 flagged names and
// more than denseFactor times as many as the median band.
const denseFactor = 10

// printWhereFlagged shows where in each benign list (by rank, i.e. line)
// the held-out flagged names sit. Flags spread evenly over a list are the
// model's false positives; flags packed into a few bands, together with
// top-level domains that occur almost only there, mark a batch of names
// that were generated, not registered by people: label noise in a list
// said to hold no DGA name. The audit prints the evidence and the flagged
// rate outside the dense bands; it changes no figure printed above.
func printWhereFlagged(c *corpus, benign [][]scored, threshold float64) {
	fmt.Printf("where the held-out flagged benign names sit: flagged per %d ranks of each list (a label-noise check; it changes no figure above)\n", bandSize)
	for i, l := range c.benign {
		bands := flaggedPerBand(benign[i], threshold, len(l.names))
		fmt.Printf("%-17s %v\n", l.name, bands)
		if dense := denseBands(bands); len(dense) > 0 {
			describeDense(l, benign[i], threshold, bands, dense)
		}
	}
}

func flaggedPerBand(s []scored, threshold float64, names int) []int {
	bands := make([]int, (names+bandSize-1)/bandSize)
	for _, x := range s {
		if x.score >= threshold {
			bands[x.rank/bandSize]++
		}
	}
	return bands
}

// denseBands returns the indexes of the dense bands (see denseFactor).
func denseBands(bands []int) []int {
	if len(bands) == 0 {
		return nil
	}
	sorted := slices.Clone(bands)
	slices.Sort(sorted)
	median := max(sorted[len(sorted)/2], 1)
	var dense []int
	for b, k := range bands {
		if k >= 10 && k > denseFactor*median {
			dense = append(dense, b)
		}
	}
	return dense
}

// describeDense prints, for a list with dense bands, the ranks they span,
// the top-level domains at least half of whose names (20 or more in the
// list) fall in them, and the flagged rate outside them.
func describeDense(l nameList, s []scored, threshold float64, bands, dense []int) {
	in := func(rank int) bool { return slices.Contains(dense, rank/bandSize) }
	var spans []string
	flaggedIn, namesIn := 0, 0
	for _, b := range dense {
		spans = append(spans, fmt.Sprintf("%d-%d", b*bandSize+1, min((b+1)*bandSize, len(l.names))))
		flaggedIn += bands[b]
		namesIn += min((b+1)*bandSize, len(l.names)) - b*bandSize
	}
	total, inside := map[string]int{}, map[string]int{}
	for r, n := range l.names {
		tld := n[strings.LastIndexByte(n, '.')+1:]
		total[tld]++
		if in(r) {
			inside[tld]++
		}
	}
	var tlds []string
	for tld, k := range inside {
		if total[tld] >= 20 && 2*k >= total[tld] {
			tlds = append(tlds, fmt.Sprintf(".%s %d of %d", tld, k, total[tld]))
		}
	}
	slices.Sort(tlds)
	flaggedAll := flaggedCount(s, threshold)
	fmt.Printf("    ranks %s (%.0f%% of the list) hold %d of its %d flagged names",
		strings.Join(spans, ","), pct(namesIn, len(l.names)), flaggedIn, flaggedAll)
	if len(tlds) > 0 {
		fmt.Printf(" and most of its names under %s", strings.Join(tlds, ", "))
	}
	fmt.Printf("\n    flagged outside those ranks: %d of %d (%.2f%%)\n",
		flaggedAll-flaggedIn, len(l.names)-namesIn, pct(flaggedAll-flaggedIn, len(l.names)-namesIn))
}
