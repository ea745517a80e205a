// Command popularity writes nfr's built-in popularity prior,
// scoring/intel/popular.txt, from the Tranco top list in the evaluation
// corpus (domains/benign/tranco-top100k.csv, `rank,domain`): one registered
// domain a line in rank order, so line n holds rank n. A rank whose entry
// is not a registrable domain under the public suffix list nfr links (a
// public suffix itself, such as a hosting platform's shared zone) is left
// as an empty line: the ranks of the others stay Tranco's. The output is
// byte-for-byte reproducible. `make prior` runs
// it; it is never linked into nfr.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "the evaluation corpus")
	out := flag.String("out", "scoring/intel/popular.txt", "the prior to write")
	flag.Parse()
	if err := run(*corpus+"/domains/benign/tranco-top100k.csv", *out); err != nil {
		fmt.Fprintln(os.Stderr, "popularity:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	kept, dropped := 0, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		rankText, domain, ok := strings.Cut(strings.TrimSpace(sc.Text()), ",")
		rank, err := strconv.Atoi(rankText)
		if !ok || err != nil || rank != len(lines)+1 {
			return fmt.Errorf("%s:%d: want `rank,domain` with rank %d, got %q", in, n, len(lines)+1, sc.Text())
		}
		domain = strings.ToLower(strings.TrimSuffix(domain, "."))
		if reg, err := publicsuffix.EffectiveTLDPlusOne(domain); err != nil || reg != domain {
			domain = "" // a public suffix or not a domain: the rank stays, empty
			dropped++
		} else {
			kept++
		}
		lines = append(lines, domain)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := write(out, lines); err != nil {
		return err
	}
	fmt.Printf("popularity: %d registered domains ranked, %d ranks left empty, written to %s\n", kept, dropped, out)
	return nil
}

func write(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
