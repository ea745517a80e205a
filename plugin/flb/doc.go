// Package flb is the plain-Go body of out_nfr.so, nfr's Fluent Bit output
// plugin: per-instance settings read through a Getter, a registry of
// [OUTPUT] instances, chunk flushes (decode, map, score, deliver) with safe
// retries, panic recovery and Fluent Bit-style logging to stderr.
//
// It holds no cgo: plugin/fluentbit is the thin shell that converts
// Fluent Bit's C calls into calls here, so everything is testable without
// Fluent Bit. It must never let a panic escape, never block a flush on
// anything but the sinks, and never keep a reference to chunk memory after
// a flush returns.
package flb

// Return codes of a flush, as Fluent Bit's Go proxy reads them.
const (
	Error = 0 // chunk dropped
	OK    = 1
	Retry = 2 // chunk rescheduled with backoff
)
