// Command formatstats decodes log files with input.Open and prints, per
// file, the detected format, lines, events, skipped lines by kind and bad
// lines by reason, then every bad line as FILE:LINE: reason. With -check
// it also counts the data lines of Zeek logs independently (lines not
// starting with "#") and the masked timestamps among them, and says
// whether every unmasked data line became an event and every masked one
// was reported. build/eval.d/formats.sh runs it over the shared corpus.
// It only reads the files it is given.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/input"
)

func main() {
	format := flag.String("format", "auto", "input format ("+strings.Join(input.Formats, ", ")+")")
	check := flag.Bool("check", false, "check Zeek logs: every data line an event, except masked timestamps")
	flag.Parse()
	status := 0
	for _, path := range flag.Args() {
		if !run(path, *format, *check) {
			status = 1
		}
	}
	os.Exit(status)
}

func run(path, format string, check bool) bool {
	f, err := input.Open(path, format)
	if err != nil {
		fmt.Printf("%s: %v\n", path, err)
		return false
	}
	defer f.Close()
	bad, err := formats.Drain(f.Next, nil)
	if err != nil {
		fmt.Printf("%s: %v\n", path, err)
		return false
	}
	st := f.Stats()
	fmt.Printf("%s | format %s | lines %d | events %d | skipped %s | malformed %s\n",
		path, f.Format, st.Lines, st.Events, counts(st.Skipped), counts(st.Bad))
	for _, b := range bad {
		fmt.Printf("  %s\n", b)
	}
	if !check || !strings.HasPrefix(f.Format, "zeek") {
		return true
	}
	data, masked, err := countDataLines(path)
	if err != nil {
		fmt.Printf("%s: %v\n", path, err)
		return false
	}
	ok := st.Events == data-masked && int64(len(bad)) == masked && st.Bad["bad timestamp"] == masked
	verdict := "OK"
	if !ok {
		verdict = "MISMATCH"
	}
	fmt.Printf("  check: %d data lines, %d masked timestamps -> want %d events and %d bad: %s\n", data, masked, data-masked, masked, verdict)
	return ok
}

func counts(m map[string]int64) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// countDataLines counts, without nfr's decoders, the lines of a Zeek log
// that hold a record and those whose timestamp is masked.
func countDataLines(path string) (data, masked int64, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer fh.Close()
	var r io.Reader = fh
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, 0, err
		}
		br = bufio.NewReader(zr)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		data++
		if bytes.Contains(line, []byte("XXXXXXXXXX.XXXXXX")) {
			masked++
		}
	}
	return data, masked, sc.Err()
}
