package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/netflightrecorder/nfr/formats/alert"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/formats/sink"
	"github.com/netflightrecorder/nfr/scoring"
)

// deliverer hands nfr score's alert batches to the pipeline's outputs
// (formats/sink's one delivery path).
// A failing output is retried with backoff for retryFor; a batch still
// not taken then is written to the spill file instead, and counted, so
// that no alert is dropped silently. After one such give-up, later batches
// get a single attempt each (the outputs keep their own reconnect backoff)
// until an output takes a batch again.
type deliverer struct {
	p         *pipeline.Pipeline
	retryFor  time.Duration
	spillPath string // "" until needed: a new file in the temp directory
	logf      func(string, ...any)

	spill       *sink.FileSink
	gaveUp      bool
	undelivered int   // alerts written to the spill file
	lastErr     error // why the last spilled batch was not delivered
}

func (d *deliverer) deliver(alerts []*scoring.Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	out := d.p.Outputs()
	err := out.Retry(out.NewBatch(alerts), d.retry())
	if err == nil {
		d.gaveUp = false
		return nil
	}
	if !d.gaveUp {
		d.logf("delivery failed for %v, giving up on this batch and writing undelivered alerts to the spill file: %v", d.retryFor, err)
	}
	d.gaveUp, d.lastErr = true, err
	return d.spillAlerts(alerts)
}

// retry is how long a batch is retried: retryFor, or one attempt once the
// deliverer gave up.
func (d *deliverer) retry() sink.Retry {
	if d.gaveUp {
		return sink.Retry{}
	}
	return sink.Retry{For: d.retryFor, OnFailure: func(err error, wait time.Duration) {
		if wait == sink.RetryFirst {
			d.logf("delivery failed, retrying with backoff for up to %v: %v", d.retryFor, err)
		}
	}}
}

// spillAlerts appends alerts to the spill file (JSON, one per line).
func (d *deliverer) spillAlerts(alerts []*scoring.Alert) error {
	if d.spill == nil {
		if err := d.openSpill(); err != nil {
			return fmt.Errorf("%d alerts not delivered and no spill file: %w", len(alerts), err)
		}
	}
	if err := d.spill.Send(alerts); err != nil {
		return fmt.Errorf("%d alerts not delivered and not written to %s: %w", len(alerts), d.spillPath, err)
	}
	d.undelivered += len(alerts)
	return nil
}

func (d *deliverer) openSpill() error {
	if d.spillPath == "" {
		f, err := os.CreateTemp("", "nfr-score-undelivered-*.json")
		if err != nil {
			return err
		}
		d.spillPath = f.Name()
		f.Close()
	}
	enc, err := alert.EncoderFor("json")
	if err != nil {
		return err
	}
	d.spill, err = sink.OpenFile(d.spillPath, enc)
	return err
}

// close closes the spill file and returns the give-up report, nil when
// every alert was delivered.
func (d *deliverer) close() error {
	if d.spill == nil {
		return nil
	}
	cerr := d.spill.Close()
	return errors.Join(fmt.Errorf("%d alerts were not delivered (last error: %v); they were written to %s",
		d.undelivered, d.lastErr, d.spillPath), cerr)
}
