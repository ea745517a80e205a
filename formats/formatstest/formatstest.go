// Package formatstest is test support for the input decoders: read a
// source to its end, and compare events whose empty lists may be nil or
// not. It is imported by tests and the project's tools only; it does no
// I/O of its own.
package formatstest

import (
	"errors"
	"io"
	"testing"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// ReadAll reads a source to its end through next (a Source's Next): a
// clone of every event, the text of every bad-input LineError, and the
// first error that ends the input (nil at io.EOF).
func ReadAll(next func(*scoring.Event) error) (evs []scoring.Event, bad []string, err error) {
	bad, err = formats.Drain(next, func(ev *scoring.Event) { evs = append(evs, ev.Clone()) })
	return evs, bad, err
}

// Normalize makes ev's empty and nil DNS lists compare equal under
// reflect.DeepEqual.
func Normalize(ev scoring.Event) scoring.Event {
	if len(ev.DNS.Answers) == 0 {
		ev.DNS.Answers = nil
	}
	if len(ev.DNS.TTLs) == 0 {
		ev.DNS.TTLs = nil
	}
	if len(ev.DNS.Authority) == 0 {
		ev.DNS.Authority = nil
	}
	return ev
}

// Check reads src to its end, as a fuzz target does: every error must be
// a *formats.LineError of file with a line number, every event must pass
// valid, and Next may be called at most maxCalls times (0: no bound), so
// a decoder that stops making progress fails instead of hanging.
func Check(t *testing.T, src formats.Source, file string, maxCalls int64, valid func(*scoring.Event) bool) {
	t.Helper()
	var ev scoring.Event
	for calls := int64(1); ; calls++ {
		if maxCalls > 0 && calls > maxCalls {
			t.Fatalf("Next called more than %d times", maxCalls)
		}
		err := src.Next(&ev)
		if err == io.EOF {
			return
		}
		var le *formats.LineError
		if err != nil && (!errors.As(err, &le) || le.Line < 1 || le.File != file) {
			t.Fatalf("error %v", err)
		}
		if err == nil && !valid(&ev) {
			t.Fatalf("event %+v", ev)
		}
	}
}

// Accounted is the number of lines a source's stats account for: events,
// skipped lines and bad lines.
func Accounted(st *formats.Stats) int64 {
	n := st.Events
	for _, v := range st.Skipped {
		n += v
	}
	for _, v := range st.Bad {
		n += v
	}
	return n
}
