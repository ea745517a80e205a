package main

import (
	"io"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
)

// newScoreSink builds the sink of --output score: it scores each event
// in-process through the same pipeline as nfr score and delivers alerts to
// the config's outputs (stdout sinks write to out) as soon as they are raised.
func newScoreSink(cfg *config.Config, out io.Writer) (sniffer.Sink, error) {
	scope, err := config.LoadScope(cfg.ScopePath(), false)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.New(cfg, scope, pipeline.Options{Stdout: out, WatchFeeds: pipeline.DefaultFeedWatch})
	if err != nil {
		return nil, err
	}
	return &scoreSink{p: p}, nil
}

type scoreSink struct {
	p      *pipeline.Pipeline
	alerts []*scoring.Alert
}

func (s *scoreSink) Write(ev *scoring.Event) error {
	s.alerts = s.alerts[:0]
	s.p.Score(ev, func(a *scoring.Alert) { s.alerts = append(s.alerts, a) })
	if len(s.alerts) == 0 {
		return nil
	}
	return s.p.Deliver(s.p.NewBatch(append([]*scoring.Alert(nil), s.alerts...)))
}

func (s *scoreSink) Close() error {
	return s.p.Close()
}
