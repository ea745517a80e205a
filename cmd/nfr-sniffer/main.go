// Command nfr-sniffer captures packets (live or from pcap files), turns them
// into DNS, ICMP and flow records and forwards them to Fluent Bit or Vector
// over the Forward protocol, prints them as NDJSON, or scores them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

func main() { os.Exit(run(os.Args[1:])) }

// options are the command line after merging the config file's sniffer section.
type options struct {
	configPath string
	file       string
	live       sniffer.LiveConfig
	output     string
	forward    forwardFlags
	flowIdle   time.Duration
	flowMax    time.Duration
	maxFlows   int
	user       string
	metrics    string
	quiet      bool
}

func parseFlags(args []string) (*options, *config.Config, error) {
	fs := flag.NewFlagSet("nfr-sniffer", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nfr-sniffer [-i IFACE | -r FILE] [--output stdout|score|forward://HOST:PORT|forward+tls://HOST:PORT] [flags] [BPF filter]")
		fs.PrintDefaults()
	}
	o := &options{}
	fs.StringVar(&o.configPath, "config", "", "config file (default $NFR_CONFIG, then "+config.DefaultPath+"); its sniffer section sets defaults")
	fs.StringVar(&o.file, "r", "", "read packets from a pcap or pcapng file (- for stdin)")
	iface := fs.String("i", "", "capture live on this interface")
	filter := fs.String("f", "", "BPF filter (also taken from the trailing arguments)")
	snaplen := fs.Int("snaplen", 0, "bytes captured per packet")
	promisc := fs.Bool("promisc", true, "promiscuous mode")
	bufSize := fs.Int("buffer-size", 0, "kernel capture buffer in bytes")
	output := fs.String("output", "", "stdout (NDJSON), score, forward://HOST:PORT or forward+tls://HOST:PORT")
	fs.DurationVar(&o.flowIdle, "flow-idle", 0, "end a flow after this much packet time without packets")
	fs.DurationVar(&o.flowMax, "flow-max", 0, "report a long flow at least this often")
	fs.IntVar(&o.maxFlows, "max-flows", 1<<16, "flow table capacity (about 300 bytes each, allocated up front)")
	fs.StringVar(&o.user, "user", "", "drop privileges to this user once the capture is open")
	fs.StringVar(&o.metrics, "metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9469)")
	fs.BoolVar(&o.quiet, "q", false, "do not print the summary and malformed packets on stderr")
	o.forward.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(o.configPath)
	if err != nil {
		return nil, nil, err
	}
	sn := cfg.Sniffer
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	pick := func(name string, flagVal, cfgVal string) string {
		if set[name] {
			return flagVal
		}
		return cfgVal
	}
	o.live = sniffer.LiveConfig{Interface: pick("i", *iface, sn.Interface), Filter: pick("f", *filter, sn.Filter),
		Snaplen: sn.Snaplen, Promisc: sn.Promisc, BufferSize: sn.BufferSize}
	if rest := strings.Join(fs.Args(), " "); rest != "" {
		o.live.Filter = rest
	}
	if set["snaplen"] {
		o.live.Snaplen = *snaplen
	}
	if set["promisc"] {
		o.live.Promisc = *promisc
	}
	if set["buffer-size"] {
		o.live.BufferSize = *bufSize
	}
	o.output = pick("output", *output, sn.Output)
	if o.flowIdle <= 0 {
		o.flowIdle = sn.FlowIdle
	}
	if o.flowMax <= 0 {
		o.flowMax = sn.FlowMax
	}
	if (o.file == "") == (o.live.Interface == "") {
		return nil, nil, errors.New("give exactly one of -r FILE and -i IFACE (or sniffer.interface in the config)")
	}
	return o, cfg, nil
}

func run(args []string) int {
	o, cfg, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		return 2
	}
	capture, err := openCapture(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		return 1
	}
	defer capture.Close()
	m := newMetrics(capture)
	if err := m.serve(o.metrics); err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		return 1
	}
	if err := o.forward.loadKey(); err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		return 1
	}
	if o.user != "" {
		if err := dropPrivileges(o.user, o.forward.spoolDir); err != nil {
			fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
			return 1
		}
	}
	sink, err := openSink(o, cfg, m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		return 1
	}
	stopOnSignal(capture, o.output)
	code := pump(capture, sink, m, o.quiet)
	if err := sink.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
		code = 1
	}
	if !o.quiet {
		summary(capture.Stats(), m)
	}
	return code
}

func openCapture(o *options) (*sniffer.Capture, error) {
	opts := sniffer.Options{Flow: flow.Config{Idle: o.flowIdle, Max: o.flowMax, MaxFlows: o.maxFlows}}
	if o.file != "" {
		c, err := sniffer.OpenFileWith(o.file, opts)
		if err == nil && o.live.Filter != "" {
			if err = c.SetFilter(o.live.Filter); err != nil {
				c.Close()
			}
		}
		return c, err
	}
	return sniffer.OpenLive(o.live, opts)
}

func openSink(o *options, cfg *config.Config, m *metrics) (sniffer.Sink, error) {
	switch {
	case o.output == "" || o.output == "stdout":
		return sniffer.NewJSONSink(os.Stdout), nil
	case o.output == "score":
		return newScoreSink(cfg, os.Stdout)
	case strings.HasPrefix(o.output, "forward://"), strings.HasPrefix(o.output, "forward+tls://"):
		s, err := o.forward.sink(o.output)
		if err != nil {
			return nil, err
		}
		m.watchForward(s.Client)
		return s, nil
	}
	return nil, fmt.Errorf("--output %q: want stdout, score, forward://HOST:PORT or forward+tls://HOST:PORT", o.output)
}

// stopOnSignal ends the capture on SIGINT or SIGTERM; open flows are then
// flushed and the sink drained. SIGHUP (systemctl reload, logrotate, a
// closed terminal) never ends it: --output score reloads its feeds and
// reopens its alert files (newScoreSink), and the other outputs, which
// have neither, log that there was nothing to reload.
func stopOnSignal(c *sniffer.Capture, output string) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for sig := range ch {
			if sig != syscall.SIGHUP {
				c.Stop()
				return
			}
			if output == "" {
				output = "stdout"
			}
			if output != "score" {
				fmt.Fprintf(os.Stderr, "nfr-sniffer: SIGHUP: nothing to reload with --output %s (feeds and alert files are --output score's); capture goes on\n", output)
			}
		}
	}()
}

// pump moves events from the capture to the sink until the end of input.
func pump(src *sniffer.Capture, sink sniffer.Sink, m *metrics, quiet bool) int {
	var ev scoring.Event
	shown := 0
	for {
		err := src.Next(&ev)
		if err == io.EOF {
			return 0
		}
		var le *formats.LineError
		if errors.As(err, &le) {
			m.malformed.WithLabelValues(le.Reason).Inc()
			if !quiet && shown < 20 {
				fmt.Fprintln(os.Stderr, "nfr-sniffer: packet", le)
				shown++
			}
			continue
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "nfr-sniffer:", err)
			return 1
		}
		m.record(&ev)
		if err := sink.Write(&ev); err != nil {
			fmt.Fprintln(os.Stderr, "nfr-sniffer: output:", err)
			return 1
		}
	}
}

func summary(s *formats.Stats, m *metrics) {
	fmt.Fprintf(os.Stderr, "nfr-sniffer: %d packets, %d records (dns %d, flow %d, icmp %d, tls %d)",
		s.Lines, s.Events, m.count(scoring.TypeDNS), m.count(scoring.TypeFlow), m.count(scoring.TypeICMP), m.count(scoring.TypeTLS))
	if len(s.Bad) > 0 {
		fmt.Fprintf(os.Stderr, ", malformed %v", s.Bad)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(os.Stderr, ", skipped %v", s.Skipped)
	}
	fmt.Fprintln(os.Stderr)
	if m.forward != nil {
		st := m.forward.Stats()
		fmt.Fprintf(os.Stderr, "nfr-sniffer: forward: %d records delivered, %d bytes, %d connects, %d failures, %d chunks spooled, %d records dropped, %d chunks left in spool\n",
			st.AckedRecords, st.BytesSent, st.Connects, st.Failures, st.Spool.SpooledChunks, st.Spool.DroppedRecords, st.Spool.DiskChunks)
	}
}
