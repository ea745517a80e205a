package sink

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/netflightrecorder/nfr/scoring"
)

// Outputs is every configured sink of a process, each with its own format
// (e.g. JSON to a file and CEF to syslog). It is safe for concurrent use
// by different batches.
type Outputs struct {
	outs []output
}

type output struct {
	name string // the sink URL, to name it in errors
	sink Sink
}

// OpenAll opens every output. On error the sinks already opened are closed.
func OpenAll(outputs []Output, opts Options) (*Outputs, error) {
	o := &Outputs{}
	for _, c := range outputs {
		s, err := Open(c, opts)
		if err != nil {
			o.Close()
			return nil, fmt.Errorf("output %s: %w", c.Sink, err)
		}
		o.outs = append(o.outs, output{name: c.Sink, sink: s})
	}
	return o, nil
}

// Batch is a set of alerts on its way to every output. It remembers which
// outputs have taken it, so delivering it again after a failure sends it
// only where it has not gone yet: an output that took it gets no
// duplicate from another output's failure.
type Batch struct {
	Alerts []*scoring.Alert
	done   []bool
}

// NewBatch starts a batch of alerts.
func (o *Outputs) NewBatch(alerts []*scoring.Alert) *Batch {
	return &Batch{Alerts: alerts, done: make([]bool, len(o.outs))}
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

// Deliver makes one attempt to send b to every output that has not taken
// it yet. It returns an error naming each output that failed; call it
// again (or Retry) to retry them.
func (o *Outputs) Deliver(b *Batch) error {
	if len(b.Alerts) == 0 {
		return nil
	}
	var errs []error
	for i, out := range o.outs {
		if b.done[i] {
			continue
		}
		if err := out.sink.Send(b.Alerts); err != nil {
			errs = append(errs, fmt.Errorf("output %s: %w", out.name, err))
			continue
		}
		b.done[i] = true
	}
	return errors.Join(errs...)
}

// Forever, as Retry.For, retries until every output took the batch.
const Forever = time.Duration(math.MaxInt64)

// Retry bounds Outputs.Retry. The wait between attempts starts at
// RetryFirst and doubles up to RetryMax.
type Retry struct {
	// For is how long a batch is retried: 0 means one attempt, Forever
	// until every output took it.
	For time.Duration
	// OnFailure, when set, sees each failed attempt that will be retried
	// and the wait before the next one.
	OnFailure func(err error, wait time.Duration)
}

// The backoff of Retry.
const (
	RetryFirst = 100 * time.Millisecond
	RetryMax   = 10 * time.Second
)

// Retry delivers b, retrying the outputs that failed with backoff as r
// allows. It returns nil once every output took b, else the last error.
func (o *Outputs) Retry(b *Batch, r Retry) error {
	start := time.Now()
	for wait := RetryFirst; ; wait = min(wait*2, RetryMax) {
		err := o.Deliver(b)
		if err == nil || (r.For != Forever && time.Since(start)+wait > r.For) {
			return err
		}
		if r.OnFailure != nil {
			r.OnFailure(err, wait)
		}
		time.Sleep(wait)
	}
}

// Reopen reopens every sink that has a file (logrotate: SIGHUP).
func (o *Outputs) Reopen() error {
	var errs []error
	for _, out := range o.outs {
		if r, ok := out.sink.(Reopener); ok {
			if err := r.Reopen(); err != nil {
				errs = append(errs, fmt.Errorf("output %s: %w", out.name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Close flushes and closes every sink.
func (o *Outputs) Close() error {
	var errs []error
	for _, out := range o.outs {
		if err := out.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("output %s: %w", out.name, err))
		}
	}
	return errors.Join(errs...) // a later Deliver gets each sink's ErrClosed
}
