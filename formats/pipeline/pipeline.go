// Package pipeline wires a loaded configuration into a running scorer:
// threat intel (built-in and feeds), scope, the engine and the alert sinks.
// Every entry point (nfr score, the Fluent Bit plugin, nfr serve, the
// sniffer's in-process mode) scores through a Pipeline, so the same records
// give the same alerts whichever way they arrive. It decodes nothing itself.
package pipeline

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/feeds"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// Options adjust a Pipeline built from a config.
type Options struct {
	// Outputs replaces cfg.Outputs when not nil.
	Outputs []config.Output
	// Stdout receives stdout sinks' output (default os.Stdout).
	Stdout io.Writer
	// Logf receives operational messages (default: discarded).
	Logf func(format string, args ...any)
}

// Pipeline scores events and delivers alerts. Score is safe for concurrent
// use; Deliver may be called concurrently for different batches.
type Pipeline struct {
	cfg     *config.Config
	engine  *engine.Engine
	outputs []output
	logf    func(string, ...any)

	reloadMu sync.Mutex
	feeds    []feeds.Report
}

type output struct {
	name string
	sink sink.Sink
}

// New builds a Pipeline. On error nothing is left open.
func New(cfg *config.Config, scopeFile *config.ScopeFile, opts Options) (*Pipeline, error) {
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
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
	eng, err := engine.New(cfg.Engine, engine.Deps{Scope: set, Intel: ix})
	if err != nil {
		return nil, err
	}
	p := &Pipeline{cfg: cfg, engine: eng, logf: logf, feeds: reports}
	outs := cfg.Outputs
	if opts.Outputs != nil {
		outs = opts.Outputs
	}
	for _, o := range outs {
		s, err := sink.Open(o, sink.Options{Stdout: opts.Stdout, Logf: logf})
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("output %s: %w", o.Sink, err)
		}
		p.outputs = append(p.outputs, output{name: o.Sink, sink: s})
	}
	return p, nil
}

// Score runs ev through the engine; emit sees each alert it raises.
func (p *Pipeline) Score(ev *scoring.Event, emit func(*scoring.Alert)) {
	p.engine.Process(ev, emit)
}

// Batch is a set of alerts on its way to every output. It remembers which
// outputs have taken it, so delivering it again after a failure sends it
// only where it has not gone yet.
type Batch struct {
	Alerts []*scoring.Alert
	done   []bool
}

// NewBatch starts a batch of alerts.
func (p *Pipeline) NewBatch(alerts []*scoring.Alert) *Batch {
	return &Batch{Alerts: alerts, done: make([]bool, len(p.outputs))}
}

// Pending reports whether some output has not yet taken b.
func (b *Batch) Pending() bool {
	for _, d := range b.done {
		if !d {
			return true
		}
	}
	return false
}

// Deliver sends b to every output that has not taken it yet. It returns an
// error naming each output that failed; call it again later to retry them.
func (p *Pipeline) Deliver(b *Batch) error {
	if len(b.Alerts) == 0 {
		return nil
	}
	var errs []error
	for i, o := range p.outputs {
		if b.done[i] {
			continue
		}
		if err := o.sink.Send(b.Alerts); err != nil {
			errs = append(errs, fmt.Errorf("output %s: %w", o.name, err))
			continue
		}
		b.done[i] = true
	}
	return errors.Join(errs...)
}

// ReloadFeeds re-reads every configured feed and swaps the engine's intel
// atomically; events are not lost. On error the old intel stays.
func (p *Pipeline) ReloadFeeds() ([]feeds.Report, error) {
	p.reloadMu.Lock()
	defer p.reloadMu.Unlock()
	ix, reports, err := feeds.Load(p.cfg.Intel, p.cfg.Dir)
	if err != nil {
		return nil, err
	}
	p.engine.SetIntel(ix)
	p.feeds = reports
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

// Close flushes and closes every output.
func (p *Pipeline) Close() error {
	var errs []error
	for _, o := range p.outputs {
		if err := o.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("output %s: %w", o.name, err))
		}
	}
	p.outputs = nil
	return errors.Join(errs...)
}
