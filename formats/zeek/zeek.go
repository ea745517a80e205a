// Package zeek decodes Zeek (Bro) logs, TSV or JSON, into scoring.Events:
// dns.log, conn.log, http.log and ssl.log; other logs are skipped and
// counted. TSV headers (#separator, #set_separator, #empty_field,
// #unset_field, #path, #fields, #types) are honoured, and a new header
// block (rotated logs concatenated) restarts the layout. The package is
// also the Zeek dialect of formats/record (Dialect: "_path", the regex
// spellings, the TSV parser for raw lines), so a line decoded here and the
// same record mapped from Fluent Bit give the same event. It does no
// scoring.
package zeek

import (
	"time"

	"io"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/input/lines"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// Reader is a formats.Source over one Zeek log.
type Reader struct {
	file  string
	lines *lines.Reader
	m     *record.Mapper
	tsv   TSV
	stats formats.Stats
}

// NewReader decodes r; file names it in errors.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{file: file, lines: lines.NewReader(r), m: record.NewMapper(Input),
		stats: formats.Stats{Format: "zeek"}}
}

// Stats returns the counters.
func (z *Reader) Stats() *formats.Stats { return &z.stats }

// Next fills ev with the next event; see formats.Source.
func (z *Reader) Next(ev *scoring.Event) error {
	return lines.Next(z.lines, &z.stats, z.file, z, ev)
}

// DecodeLine decodes one line; see lines.LineDecoder.
func (z *Reader) DecodeLine(line []byte, ev *scoring.Event) error {
	switch {
	case len(line) == 0:
		return skip(record.SkipBlank)
	case line[0] == '#':
		z.tsv.Header(line)
		return skip(record.SkipHeader)
	case line[0] == '{':
		z.m.BeginInto(ev, time.Time{})
		if err := z.m.FeedJSON(line); err != nil {
			return err
		}
		return z.m.End(ev)
	}
	z.m.BeginInto(ev, time.Time{})
	if err := z.tsv.Feed(z.m, line); err != nil {
		return err
	}
	return z.m.End(ev)
}

func skip(kind string) error { return record.SkipError(kind) }
