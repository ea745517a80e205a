package main

import (
	"io"
	"log"
	"os"
	"time"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
)

// scoreRetryFor is how long --output score retries an output that refuses
// alerts (with backoff) before the sniffer stops with an error, as nfr
// score does by default.
const scoreRetryFor = 5 * time.Minute

// newScoreSink builds the sink of --output score: it scores each event
// in-process through the same pipeline as nfr score and delivers alerts
// through its outputs (formats/sink; stdout outputs write to out) as soon
// as they are raised. SIGHUP reloads the feeds and reopens output files.
func newScoreSink(cfg *config.Config, out io.Writer) (sniffer.Sink, error) {
	scope, err := config.LoadScope(cfg.ScopePath(), false)
	if err != nil {
		return nil, err
	}
	logger := log.New(os.Stderr, "nfr-sniffer: ", log.LstdFlags)
	p, err := pipeline.New(cfg, scope, pipeline.Options{Stdout: out, Logf: logger.Printf, WatchFeeds: pipeline.DefaultFeedWatch})
	if err != nil {
		return nil, err
	}
	s := &scoreSink{p: p, logf: logger.Printf}
	s.stopHUP = sink.OnSIGHUP(p.Reload, logger.Printf)
	return s, nil
}

type scoreSink struct {
	p       *pipeline.Pipeline
	logf    func(string, ...any)
	alerts  []*scoring.Alert
	stopHUP func()
}

func (s *scoreSink) Write(ev *scoring.Event) error {
	s.alerts = s.alerts[:0]
	s.p.Score(ev, func(a *scoring.Alert) { s.alerts = append(s.alerts, a) })
	if len(s.alerts) == 0 {
		return nil
	}
	out := s.p.Outputs()
	return out.Retry(out.NewBatch(append([]*scoring.Alert(nil), s.alerts...)), sink.Retry{For: scoreRetryFor,
		OnFailure: func(err error, wait time.Duration) {
			if wait == sink.RetryFirst {
				s.logf("delivery failed, retrying with backoff for up to %v: %v", scoreRetryFor, err)
			}
		}})
}

func (s *scoreSink) Close() error {
	s.stopHUP()
	return s.p.Close()
}
