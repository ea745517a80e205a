// Package suricata decodes Suricata eve.json (one JSON object a line) into
// scoring.Events: dns (v1 per-query and per-answer records, v2/v3
// "queries"/"answers"/"grouped"), flow, http and tls. Other event types
// (alert, stats, fileinfo, ...) are skipped and counted. The package is
// also the Suricata dialect of formats/record (Dialect: its field table
// and finish hook), shared with the Fluent Bit and Vector paths. It does
// no scoring.
package suricata

import (
	"bytes"
	"io"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/input/lines"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Reader is a formats.Source over one eve.json stream.
type Reader struct {
	file  string
	lines *lines.Reader
	m     *record.Mapper
	stats formats.Stats
}

// NewReader decodes r; file names it in errors.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{file: file, lines: lines.NewReader(r), m: record.NewMapper(Input),
		stats: formats.Stats{Format: "suricata"}}
}

// Stats returns the counters.
func (s *Reader) Stats() *formats.Stats { return &s.stats }

// Next fills ev with the next event; see formats.Source.
func (s *Reader) Next(ev *scoring.Event) error {
	return lines.Next(s.lines, &s.stats, s.file, s, ev)
}

// DecodeLine decodes one line; see lines.LineDecoder.
func (s *Reader) DecodeLine(line []byte, ev *scoring.Event) error {
	if len(trimSpace(line)) == 0 {
		return record.SkipError(record.SkipBlank)
	}
	s.m.BeginInto(ev, time.Time{})
	if err := s.m.FeedJSON(line); err != nil {
		return err
	}
	return s.m.End(ev)
}

func openFile(r io.Reader, file, _ string, _ *time.Location) formats.Source {
	return NewReader(r, file)
}

// detect names an eve.json file from its first line.
func detect(line []byte) string {
	if line[0] == '{' && bytes.Contains(line, []byte(`"event_type"`)) {
		return "suricata"
	}
	return ""
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
