package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/feeds"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/brand"
	"github.com/netflightrecorder/nfr/scoring/dga"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

func init() {
	register("explain", "explain names: registered domain, labels, DGA score, impersonation, intel categories", runExplain)
}

// explanation is what nfr knows about one name. The JSON form (one object
// per line with --json) is a stable interface: keys domain, registered,
// rank (popularity, 0 when unranked), dga {score, flag}, impersonation ({brand, technique} or null) and
// categories (a list, never null).
type explanation struct {
	Domain        string   // normalised name (ASCII, punycode for IDNs)
	Unicode       string   // Domain with IDN labels decoded
	Registered    string   // registrable domain; "" when the name is a public suffix
	Rank          uint32   // Registered's rank in the popularity prior; 0 when unranked
	Labels        []string // Domain's labels (aliases the analyser's buffer)
	Score         float64  // DGA score, 0..1
	Flag          bool     // Score at or above the configured threshold (and not exempt)
	Impersonation *brand.Match
	Categories    []string // intel categories; nil when none
}

// analyser runs explain's full analysis: FQDN breakdown, DGA score, brand
// check and intel categories. It reuses its buffers, so an explanation is
// valid until the next call. Not safe for concurrent use.
type analyser struct {
	fqdn      scoring.FQDN
	match     brand.Match
	brands    *brand.Detector
	intel     *intel.Index
	threshold float64
	dga       dga.Config
}

func newAnalyser(brandCfg brand.Config, dgaCfg dga.Config, ix *intel.Index) *analyser {
	return &analyser{
		brands:    brand.New(brandCfg),
		intel:     ix,
		threshold: dgaCfg.Threshold,
		dga:       dgaCfg,
	}
}

// analyse explains name (a domain name, or a URL whose host is one); ok is
// false when name is not a valid domain name.
func (a *analyser) analyse(name string) (e explanation, ok bool) {
	f := &a.fqdn
	f.Parse(hostOf(name))
	if !f.Valid {
		return explanation{Domain: name}, false
	}
	f.Rank = a.intel.Rank(f)
	e = explanation{Domain: f.Name, Unicode: f.Unicode, Registered: f.Registered, Rank: f.Rank, Labels: f.Labels()}
	e.Categories = a.intel.DomainCategories(f)
	e.Score = dga.Score(f)
	e.Flag = e.Score >= a.threshold && !a.dga.Popular(f) && !a.isExempt(e.Categories)
	if m, hit := a.brands.Match(f); hit {
		a.match = m
		e.Impersonation = &a.match
	}
	return e, true
}

// hostOf returns the host of a URL pasted in place of a name
// ("https://user@paypa1.com:8443/login" gives "paypa1.com"); other input
// is returned as it is.
func hostOf(name string) string {
	i := strings.Index(name, "://")
	if i < 0 {
		return name
	}
	host := name[i+3:]
	if j := strings.IndexAny(host, "/?#"); j >= 0 {
		host = host[:j]
	}
	if j := strings.LastIndexByte(host, '@'); j >= 0 {
		host = host[j+1:]
	}
	if j := strings.LastIndexByte(host, ':'); j >= 0 && !strings.Contains(host, "]") {
		host = host[:j]
	}
	return host
}

// isExempt reports whether a category exempts the name from the dga flag,
// as in the engine.
func (a *analyser) isExempt(categories []string) bool {
	for _, c := range categories {
		for _, x := range a.dga.ExemptCategories {
			if c == x {
				return true
			}
		}
	}
	return false
}

// appendJSON appends e as one line of JSON.
func (e *explanation) appendJSON(b []byte) []byte {
	b = append(b, `{"domain":`...)
	b = alert.AppendJSONString(b, e.Domain)
	b = append(b, `,"registered":`...)
	b = alert.AppendJSONString(b, e.Registered)
	b = append(b, `,"rank":`...)
	b = strconv.AppendUint(b, uint64(e.Rank), 10)
	b = append(b, `,"dga":{"score":`...)
	b = strconv.AppendFloat(b, e.Score, 'f', 4, 64)
	b = append(b, `,"flag":`...)
	b = strconv.AppendBool(b, e.Flag)
	b = append(b, `},"impersonation":`...)
	if m := e.Impersonation; m != nil {
		b = append(b, `{"brand":`...)
		b = alert.AppendJSONString(b, m.Brand)
		b = append(b, `,"technique":`...)
		b = alert.AppendJSONString(b, m.Technique)
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"categories":[`...)
	for i, c := range e.Categories {
		if i > 0 {
			b = append(b, ',')
		}
		b = alert.AppendJSONString(b, c)
	}
	return append(b, "]}\n"...)
}

// writeText prints e for people: one block per name, values aligned.
func (e *explanation) writeText(w io.Writer, threshold float64) {
	fmt.Fprintln(w, e.Domain)
	row := func(key, format string, args ...any) {
		fmt.Fprintf(w, "  %-14s %s\n", key, fmt.Sprintf(format, args...))
	}
	if e.Unicode != e.Domain {
		row("unicode", "%s", e.Unicode)
	}
	registered := e.Registered
	if registered == "" {
		registered = "(none: the name is a public suffix)"
	}
	row("registered", "%s", registered)
	row("labels", "%s", strings.Join(e.Labels, " · "))
	if e.Rank > 0 {
		row("popularity", "rank %d in the popularity prior", e.Rank)
	} else {
		row("popularity", "unranked")
	}
	verdict := "not flagged"
	if e.Flag {
		verdict = "FLAGGED"
	}
	row("dga", "%.4f  %s (threshold %.2f)", e.Score, verdict, threshold)
	if m := e.Impersonation; m != nil {
		row("impersonation", "%s: %s of %s", m.Brand, m.Technique, m.Domain)
	} else {
		row("impersonation", "none")
	}
	if len(e.Categories) == 0 {
		row("categories", "none")
	} else {
		row("categories", "%s", strings.Join(e.Categories, ", "))
	}
}

func runExplain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	path := configFlag(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per line: domain, registered, rank, dga {score, flag}, impersonation {brand, technique} or null, categories")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nfr explain [--json] [--config PATH] NAME... | -   ('-' reads names from stdin, one per line; URLs are reduced to their host)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	cfg, err := loadExplainConfig(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr:", err)
		return 2
	}
	a := newAnalyser(cfg.brand, cfg.dga, cfg.intel)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	x := explainer{a: a, out: out, json: *asJSON}
	for i, name := range fs.Args() {
		if name == "-" {
			x.readNames(os.Stdin, "stdin")
			continue
		}
		x.explain(name, fmt.Sprintf("argument %d", i+1))
	}
	if x.bad > 0 {
		out.Flush()
		fmt.Fprintf(os.Stderr, "nfr explain: %d invalid name(s) skipped\n", x.bad)
		return 1
	}
	return 0
}

// explainer prints explanations and counts bad names.
type explainer struct {
	a    *analyser
	out  *bufio.Writer
	json bool
	buf  []byte
	n    int // names explained
	bad  int // invalid names
}

func (x *explainer) explain(name, where string) {
	e, ok := x.a.analyse(name)
	if !ok {
		x.bad++
		fmt.Fprintf(os.Stderr, "nfr explain: %s: %q is not a valid domain name\n", where, name)
		return
	}
	if x.json {
		x.buf = e.appendJSON(x.buf[:0])
		x.out.Write(x.buf)
	} else {
		if x.n > 0 {
			x.out.WriteByte('\n')
		}
		e.writeText(x.out, x.a.threshold)
	}
	x.n++
}

// readNames explains every name in r: one per line, the first field;
// blank lines and lines starting with # are skipped.
func (x *explainer) readNames(r io.Reader, source string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		if i := strings.IndexAny(text, " \t"); i > 0 {
			text = text[:i]
		}
		x.explain(text, fmt.Sprintf("%s line %d", source, line))
	}
	if err := sc.Err(); err != nil {
		x.bad++
		fmt.Fprintf(os.Stderr, "nfr explain: %s line %d: %v\n", source, line+1, err)
	}
}

// explainConfig is the part of config.yml explain uses.
type explainConfig struct {
	brand brand.Config
	dga   dga.Config
	intel *intel.Index // built-in indicators and prior, and the configured feeds
}

// loadExplainConfig reads the engine settings and the intel feeds (with
// the popularity prior) from the config at path (or the default location;
// defaults when there is none), so names are explained as the engine
// scores them. A feed that cannot be read is reported and left out.
// Unlike other commands it does not need the scope file.
func loadExplainConfig(path string) (explainConfig, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return explainConfig{}, err
	}
	ix, _, err := feeds.Load(cfg.Intel, cfg.Dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nfr explain:", err)
	}
	return explainConfig{brand: cfg.Engine.Brand, dga: cfg.Engine.DGA, intel: ix}, nil
}
