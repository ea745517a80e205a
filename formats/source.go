package formats

import (
	"errors"
	"fmt"
	"io"

	"github.com/netflightrecorder/nfr/scoring"
)

// Source yields events from one input.
//
// Next resets ev itself and fills it with the next event (callers need
// not reset it). It returns io.EOF at the end, a *LineError for a
// malformed record (the caller reports it and calls Next again: decoding
// continues), and any other error for a failure that ends the input (an
// I/O error). Lines that hold no event (headers, comments, blank lines)
// are skipped silently and counted in Stats.
type Source interface {
	Next(ev *scoring.Event) error
	Stats() *Stats
}

// LineError locates one piece of bad input.
type LineError struct {
	File   string
	Line   int64  // 1-based line or record number
	Reason string // short, stable, used as a counter key: "bad timestamp"
	Detail string // the specifics: the offending field or value
}

func (e *LineError) Error() string {
	msg := e.Reason
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.File == "" {
		return fmt.Sprintf("record %d: %s", e.Line, msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
}

// Stats counts what a Source has read.
type Stats struct {
	Format  string
	Lines   int64            // lines (or records, or packets) read
	Events  int64            // events produced
	Skipped map[string]int64 // skipped lines that are not errors, by kind ("header", "comment", "blank")
	Bad     map[string]int64 // malformed lines, by reason
}

// Skip counts a line that holds no event.
func (s *Stats) Skip(kind string) {
	if s.Skipped == nil {
		s.Skipped = map[string]int64{}
	}
	s.Skipped[kind]++
}

// Reject counts a malformed line and returns its LineError.
func (s *Stats) Reject(file string, line int64, reason, detail string) *LineError {
	if s.Bad == nil {
		s.Bad = map[string]int64{}
	}
	s.Bad[reason]++
	return &LineError{File: file, Line: line, Reason: reason, Detail: detail}
}

// Drain reads a source to its end through next (a Source's Next), calling
// each, when not nil, for every event (ev is reused: clone what you keep).
// It returns the text of every bad-input LineError, which does not stop
// it, and the first error that does (nil at io.EOF).
func Drain(next func(ev *scoring.Event) error, each func(ev *scoring.Event)) (bad []string, err error) {
	var ev scoring.Event
	for {
		err := next(&ev)
		if err == io.EOF {
			return bad, nil
		}
		var le *LineError
		if errors.As(err, &le) {
			bad = append(bad, le.Error())
			continue
		}
		if err != nil {
			return bad, err
		}
		if each != nil {
			each(&ev)
		}
	}
}
