// Package pipeline wires a loaded configuration into a running scorer:
// threat intel (built-in and feeds), scope, the engine and the alert
// outputs (formats/sink's Outputs, the one delivery path). Every entry point
// (nfr score, the Fluent Bit plugin, nfr serve, the sniffer's in-process
// mode) scores through a Pipeline and delivers through its Outputs, so the
// same records give the same alerts, delivered the same way, whichever way
// they arrive. It decodes nothing and delivers nothing itself.
package pipeline

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/netflightrecorder/nfr/formats/asn"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/feeds"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// DefaultFeedWatch is how often long-running entry points (nfr serve, the
// Fluent Bit plugin, nfr-sniffer --output score) check feed files for changes.
const DefaultFeedWatch = 30 * time.Second

// Options adjust a Pipeline built from a config.
type Options struct {
	// Outputs replaces cfg.Outputs when not nil.
	Outputs []config.Output
	// Stdout receives stdout sinks' output (default os.Stdout).
	Stdout io.Writer
	// Logf receives operational messages (default: discarded).
	Logf func(format string, args ...any)
	// WatchFeeds, when positive, checks the feed files this often and
	// reloads them when one changed (size or modification time).
	WatchFeeds time.Duration
}

// Pipeline scores events and delivers alerts. Score is safe for concurrent
// use; Deliver may be called concurrently for different batches.
type Pipeline struct {
	cfg     *config.Config
	engine  *engine.Engine
	outputs *sink.Outputs
	logf    func(string, ...any)

	reloadMu sync.Mutex
	feeds    []feeds.Report
	stamp    feeds.Stamp
	asn      *asn.DB
	stop     chan struct{}
	watching sync.WaitGroup
}

// New builds a Pipeline. On error nothing is left open.
func New(cfg *config.Config, scopeFile *config.ScopeFile, opts Options) (*Pipeline, error) {
	defer holdCollector()()
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	stamp := feeds.StatFeeds(cfg.Intel, cfg.Dir)
	ix, reports, err := feeds.Load(cfg.Intel, cfg.Dir)
	if err != nil {
		return nil, err
	}
	if scopeFile == nil {
		scopeFile = config.DefaultScopeFile()
	}
	set, err := scopeFile.Compile()
	if err != nil {
		return nil, err
	}
	deps := engine.Deps{Scope: set, Intel: ix}
	var asnDB *asn.DB
	if path := cfg.Intel.ASNDatabase; path != "" {
		if !filepath.IsAbs(path) && cfg.Dir != "" {
			path = filepath.Join(cfg.Dir, path)
		}
		if asnDB, err = asn.Open(path); err != nil {
			return nil, fmt.Errorf("intel.asn_database: %w", err)
		}
		deps.ASN = asnDB
	}
	eng, err := engine.New(cfg.Engine, deps)
	if err != nil {
		if asnDB != nil {
			asnDB.Close()
		}
		return nil, err
	}
	p := &Pipeline{cfg: cfg, engine: eng, logf: logf, feeds: reports, stamp: stamp, asn: asnDB, stop: make(chan struct{})}
	outs := cfg.Outputs
	if opts.Outputs != nil {
		outs = opts.Outputs
	}
	if p.outputs, err = sink.OpenAll(outs, sink.Options{Stdout: opts.Stdout, Logf: logf}); err != nil {
		p.Close()
		return nil, err
	}
	if opts.WatchFeeds > 0 && len(cfg.Intel.Feeds) > 0 {
		p.watching.Add(1)
		go p.watchFeeds(p.stop, opts.WatchFeeds)
	}
	return p, nil
}

// watchFeeds reloads the feeds when their files change, until stop is
// closed. It is handed stop rather than reading p.stop, which Close clears.
func (p *Pipeline) watchFeeds(stop <-chan struct{}, every time.Duration) {
	defer p.watching.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := feeds.StatFeeds(p.cfg.Intel, p.cfg.Dir)
		p.reloadMu.Lock()
		changed := now.Changed(p.stamp)
		p.reloadMu.Unlock()
		if !changed {
			continue
		}
		if _, err := p.ReloadFeeds(); err != nil {
			p.logf("feeds changed but reloading failed, keeping the old ones: %v", err)
			continue
		}
		p.logf("feeds changed on disk: reloaded")
	}
}

// Score runs ev through the engine; emit sees each alert it raises.
func (p *Pipeline) Score(ev *scoring.Event, emit func(*scoring.Alert)) {
	p.engine.Process(ev, emit)
}

// Outputs is where alerts go: formats/sink's one delivery path. Callers
// deliver with Outputs().NewBatch and Deliver (one attempt) or Retry.
func (p *Pipeline) Outputs() *sink.Outputs { return p.outputs }

// Reload re-reads the feeds and reopens the output files: what a
// long-running process does on SIGHUP (logrotate's postrotate). Both are
// attempted; the error names what failed, and the old feeds stay then.
func (p *Pipeline) Reload() error {
	_, ferr := p.ReloadFeeds()
	if ferr != nil {
		ferr = fmt.Errorf("feed reload failed, keeping the old feeds: %w", ferr)
	}
	return errors.Join(ferr, p.outputs.Reopen())
}

// ReloadFeeds re-reads every configured feed and swaps the engine's intel
// atomically; events are not lost. On error the old intel stays.
func (p *Pipeline) ReloadFeeds() ([]feeds.Report, error) {
	p.reloadMu.Lock()
	defer p.reloadMu.Unlock()
	stamp := feeds.StatFeeds(p.cfg.Intel, p.cfg.Dir)
	ix, reports, err := feeds.Load(p.cfg.Intel, p.cfg.Dir)
	if err != nil {
		return nil, err
	}
	p.engine.SetIntel(ix)
	p.feeds, p.stamp = reports, stamp
	return reports, nil
}

// Feeds returns the load report of every configured feed.
func (p *Pipeline) Feeds() []feeds.Report {
	p.reloadMu.Lock()
	defer p.reloadMu.Unlock()
	return p.feeds
}

// Stats returns the engine's counters.
func (p *Pipeline) Stats() engine.Stats { return p.engine.Stats() }

// Close stops the feed watcher, then flushes and closes every output.
func (p *Pipeline) Close() error {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
		p.watching.Wait()
	}
	var errs []error
	if p.asn != nil {
		errs = append(errs, p.asn.Close())
		p.asn = nil
	}
	if p.outputs != nil {
		errs = append(errs, p.outputs.Close())
	}
	return errors.Join(errs...)
}
