// Command fbgen writes N generated DNS lookups for the real-Fluent-Bit
// benchmark (build/bench.d/fluentbit.sh) in one of harness.LogFormats
// (zeek-json, zeek-tsv with its header, msdns-us, ...), from the same
// generator as the entry-point equivalence test. The same -n gives the
// same bytes; -skip S writes the N lookups that follow the first S, the
// same network later on (the sidecar benchmark's warm server reads them
// after the first N). It only writes to stdout.
package main

import (
	"bufio"
	"flag"
	"log"
	"os"
	"slices"

	"github.com/netflightrecorder/nfr/plugin/fluentbit/harness"
)

func main() {
	format := flag.String("format", "zeek-json", "one of the harness log formats: zeek-json, zeek-tsv, suricata, msdns-us, msdns-iso, msdns-dayfirst")
	n := flag.Int("n", 1000000, "lookups to write")
	skip := flag.Int("skip", 0, "lookups to generate and leave out before those written")
	flag.Parse()
	if !slices.Contains(harness.LogFormats, *format) {
		log.Fatalf("unknown -format %q (want one of %v)", *format, harness.LogFormats)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	lookups := harness.Lookups(7, *skip+*n)[*skip:]
	for start := 0; start < len(lookups); start += 10000 {
		text := harness.WriteLog(*format, lookups[start:min(start+10000, len(lookups))])
		if start > 0 && *format == "zeek-tsv" {
			text = text[len(harness.ZeekTSVHeader):] // one header, at the top
		}
		w.WriteString(text)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}
