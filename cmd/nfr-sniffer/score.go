package main

import (
	"io"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/sniffer"
)

// newScoreSink builds the sink of --output score: it scores each event
// in-process and writes alerts to out. It is nil until the scoring engine
// is wired in (assign it from an init function in this package); the
// returned Sink's Close must flush pending alerts.
var newScoreSink func(cfg *config.Config, out io.Writer) (sniffer.Sink, error)
