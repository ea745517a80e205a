// Package formatstest is test support for the input decoders: read a
// source to its end, and compare events whose empty lists may be nil or
// not. It is imported by tests and the project's tools only; it does no
// I/O of its own.
package formatstest

import (
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
