package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/input"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func init() {
	register("score", "score log files and pcaps offline and print alerts", runScore)
}

// scoreOpts are nfr score's flags.
type scoreOpts struct {
	format      string
	stats       bool
	maxErrors   int
	sink        string
	alertFormat string
	tz          string
	summary     bool
	retryFor    time.Duration
	spill       string
}

func runScore(args []string) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	path := configFlag(fs)
	var o scoreOpts
	fs.StringVar(&o.format, "format", "auto", "input format: auto, zeek, zeek-tsv, zeek-json, msdns, suricata, domains, hosts, pcap")
	fs.BoolVar(&o.stats, "stats", false, "print per-file counts of lines, events and skipped lines by reason (stderr)")
	fs.IntVar(&o.maxErrors, "max-errors", 5, "bad-input lines reported per file (all are counted)")
	fs.StringVar(&o.sink, "output", "", "alert sink, overriding the config's outputs: stdout, file:PATH, syslog+udp://host:port, ...")
	fs.StringVar(&o.alertFormat, "alert-format", "", "alert format with --output: json or cef")
	fs.StringVar(&o.tz, "tz", "", "time zone of MS DNS debug logs, e.g. Europe/Berlin or Local (default UTC)")
	fs.BoolVar(&o.summary, "summary", false, "print a table of alerts by threat and by host at the end (stderr)")
	fs.DurationVar(&o.retryFor, "retry-for", 5*time.Minute, "how long to retry an output that refuses alerts (with backoff) before writing them to the spill file")
	fs.StringVar(&o.spill, "spill", "", "file that receives the alerts no output took (JSON lines; default: a new nfr-score-undelivered-*.json in the temp directory)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nfr score [flags] FILE... ('-' reads stdin)")
		fmt.Fprintln(fs.Output(), "exit status: 0 every input read and every alert delivered; 1 some input unreadable, some line bad in every file, or alerts spilled (every alert raised is still delivered or spilled); 2 usage or configuration error")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	cfg, scope, code := loadConfig(*path)
	if code != 0 {
		return code
	}
	popts := pipeline.Options{}
	if o.sink != "" || o.alertFormat != "" {
		out := config.DefaultOutput()
		if o.sink != "" {
			out.Sink = o.sink
		}
		if o.alertFormat != "" {
			out.Format = o.alertFormat
		}
		if err := out.Validate(); err != nil {
			fmt.Fprintln(os.Stderr, "nfr score:", err)
			return 2
		}
		popts.Outputs = []config.Output{out}
	}
	inOpts := input.Options{}
	if o.tz != "" {
		loc, err := time.LoadLocation(o.tz)
		if err != nil {
			fmt.Fprintln(os.Stderr, "nfr score: --tz:", err)
			return 2
		}
		inOpts.TZ = loc
	}
	p, err := pipeline.New(cfg, scope, popts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr score:", err)
		return 2
	}
	status := 0
	sum := newSummary()
	d := &deliverer{p: p, retryFor: o.retryFor, spillPath: o.spill, logf: func(f string, a ...any) {
		fmt.Fprintf(os.Stderr, "nfr score: "+f+"\n", a...)
	}}
	for _, file := range fs.Args() {
		if err := scoreFile(d, file, o, inOpts, sum); err != nil {
			fmt.Fprintln(os.Stderr, "nfr score:", err)
			status = 1
		}
	}
	if err := d.close(); err != nil {
		fmt.Fprintln(os.Stderr, "nfr score:", err)
		status = 1
	}
	if err := p.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "nfr score:", err)
		status = 1
	}
	if o.summary {
		sum.print(os.Stderr)
	}
	return status
}

// source is an event source that must be closed.
type source interface {
	formats.Source
	Close() error
}

func openSource(file, format string, opts input.Options) (source, error) {
	if format == "pcap" || (format == "auto" && file != "-" && looksLikePcap(file)) {
		c, err := sniffer.OpenFileWith(file, sniffer.Options{})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	src, err := input.OpenWith(file, format, opts)
	if errors.Is(err, input.ErrPcap) {
		// Only a stream gets here (looksLikePcap reads regular files):
		// its first bytes are read, and libpcap must read them itself.
		return nil, fmt.Errorf("%w; from a pipe or stdin, name the format: --format pcap", err)
	}
	return src, err
}

// looksLikePcap checks the magic number (pcap or pcapng) of a regular
// file. A pipe, FIFO or device is not read: the bytes read here would be
// gone for the reader that follows (nfr score <(zcat dns.log.gz) lost the
// first four bytes of its first line, and its format with them).
func looksLikePcap(file string) bool {
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [4]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false
	}
	return input.Detect(head[:]) == "pcap"
}

// progressMin is the input size from which nfr score shows a progress bar.
const progressMin = 32 << 20

// newProgress returns a byte progress bar on stderr for a large regular
// file when stderr is a terminal; nil otherwise (piped, small, stdin).
func newProgress(file string) *progressbar.ProgressBar {
	if file == "-" || !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() || st.Size() < progressMin {
		return nil
	}
	return progressbar.NewOptions64(st.Size(),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(filepath.Base(file)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(os.Stderr, "\r\033[K") }))
}

// alertBatch is how many alerts nfr score collects before delivering them.
const alertBatch = 512

// scoreFile scores one input. A read error ends the file but not the
// alerts: those raised before it (and, for a capture, by the flows open at
// that point) are delivered, and the error names the position. A file in
// which no line could be decoded is an error too.
func scoreFile(d *deliverer, file string, o scoreOpts, inOpts input.Options, sum *summary) error {
	bar := newProgress(file)
	if bar != nil {
		inOpts.Wrap = func(r io.Reader) io.Reader { pr := progressbar.NewReader(r, bar); return &pr }
		defer bar.Exit()
	}
	src, err := openSource(file, o.format, inOpts)
	if err != nil {
		return err
	}
	defer src.Close()
	var (
		ev       scoring.Event
		alerts   []*scoring.Alert
		reported int
		readErr  error
	)
	emit := func(a *scoring.Alert) {
		alerts = append(alerts, a)
		if o.summary { // only printed then
			sum.add(a)
		}
	}
	for {
		err := src.Next(&ev) // resets ev itself (formats.Source)
		if err == nil {
			d.p.Score(&ev, emit)
			if len(alerts) >= alertBatch {
				if err := d.deliver(alerts); err != nil {
					return err
				}
				alerts = alerts[:0]
			}
			continue
		}
		if err == io.EOF {
			break
		}
		if le, ok := errors.AsType[*formats.LineError](err); ok { // errors.As would allocate le each line
			if reported < o.maxErrors {
				fmt.Fprintln(os.Stderr, le)
				reported++
			}
			continue
		}
		if readErr != nil {
			break
		}
		readErr = readError(file, src, err)
		if c, ok := src.(*sniffer.Capture); ok {
			c.Stop() // the next calls flush the flows open so far
			continue
		}
		break
	}
	if err := d.deliver(alerts); err != nil {
		return errors.Join(readErr, err)
	}
	if o.stats {
		printStats(os.Stderr, file, src.Stats())
	}
	if readErr == nil {
		readErr = allBad(file, src.Stats())
	}
	return readErr
}

// readError names file and position of a read error: the packet number and
// byte offset for a capture, the line for text (the line readers say it).
func readError(file string, src source, err error) error {
	c, ok := src.(*sniffer.Capture)
	if !ok {
		return fmt.Errorf("%s: %w (alerts raised before it were delivered)", file, err)
	}
	n := c.Packets() + 1
	off, truncated, perr := pcapPosition(file, n)
	where := fmt.Sprintf("packet %d at byte offset %d", n, off)
	switch {
	case perr != nil:
		where = fmt.Sprintf("packet %d", n)
	case truncated:
		where += " (the file ends inside this packet: truncated)"
	}
	return fmt.Errorf("%s: %s: %w (alerts raised before it were delivered)", file, where, err)
}

// allBad reports a file of which every line was rejected.
func allBad(file string, st *formats.Stats) error {
	sum := func(m map[string]int64) (n int64) {
		for _, c := range m {
			n += c
		}
		return n
	}
	bad := sum(st.Bad)
	if st.Events > 0 || bad == 0 || bad < st.Lines-sum(st.Skipped) {
		return nil
	}
	return fmt.Errorf("%s: none of its %d lines could be decoded (%s)", file, st.Lines, counts(st.Bad))
}

func printStats(w io.Writer, file string, st *formats.Stats) {
	fmt.Fprintf(w, "%s: format %s, %d lines, %d events", file, st.Format, st.Lines, st.Events)
	if len(st.Skipped) > 0 {
		fmt.Fprintf(w, ", skipped: %s", counts(st.Skipped))
	}
	if len(st.Bad) > 0 {
		fmt.Fprintf(w, ", bad: %s", counts(st.Bad))
	}
	fmt.Fprintln(w)
}

func counts(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
