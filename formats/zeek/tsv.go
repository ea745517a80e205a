package zeek

import (
	"bytes"
	"strconv"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"
)

// TSV is the header state of a Zeek TSV log: the separators and markers
// of the "#" directives and the columns of "#fields" and "#types". A new
// header block (rotated logs concatenated) replaces the previous one.
type TSV struct {
	sep    []byte
	setSep []byte
	empty  []byte
	unset  []byte
	path   []byte
	hint   scoring.EventType // of path; TypeUnknown for logs nfr does not map
	cols   []tsvCol
	read   record.Columns // the columns a dialect reads, for ApplyLine

	unsetMark, emptyMark, setMark []byte // in effect, defaults applied
}

type tsvCol struct {
	f    *record.Field // nil for a column no dialect reads
	name []byte
	set  bool // set[...] or vector[...]: items split on the set separator
}

var (
	dirSeparator    = []byte("#separator")
	dirSetSeparator = []byte("#set_separator")
	dirEmpty        = []byte("#empty_field")
	dirUnset        = []byte("#unset_field")
	dirPath         = []byte("#path")
	dirFields       = []byte("#fields")
	dirTypes        = []byte("#types")
)

// Path returns the log's "#path" ("dns", "conn"), "" when not given.
func (t *TSV) Path() string { return string(t.path) }

// HasFields reports whether a "#fields" line has been read.
func (t *TSV) HasFields() bool { return len(t.cols) > 0 }

func (t *TSV) separator() []byte {
	if len(t.sep) == 0 {
		return []byte{'\t'}
	}
	return t.sep
}

// Header reads one "#" line. Unknown directives (#open, #close,
// comments) are ignored.
func (t *TSV) Header(line []byte) {
	t.unsetMark = nil // recomputed by the next Feed
	line = bytes.TrimRight(line, "\r\n")
	if bytes.HasPrefix(line, dirSeparator) && len(line) > len(dirSeparator) && line[len(dirSeparator)] == ' ' {
		// "#separator \x09" starts a new block: forget the old one.
		*t = TSV{sep: unescapeZeek(line[len(dirSeparator)+1:])}
		return
	}
	name, value, ok := bytes.Cut(line, t.separator())
	if !ok {
		return
	}
	switch {
	case bytes.Equal(name, dirSetSeparator):
		t.setSep = unescapeZeek(value)
	case bytes.Equal(name, dirEmpty):
		t.empty = bytes.Clone(value)
	case bytes.Equal(name, dirUnset):
		t.unset = bytes.Clone(value)
	case bytes.Equal(name, dirPath):
		t.path = bytes.Clone(value)
		t.hint = scoring.TypeUnknown
		t.hint, _ = pathHints.Lookup(value)
	case bytes.Equal(name, dirFields):
		t.cols = t.cols[:0]
		for _, f := range bytes.Split(value, t.separator()) {
			t.cols = append(t.cols, tsvCol{f: record.LookupField(f), name: bytes.Clone(f)})
		}
	case bytes.Equal(name, dirTypes):
		for i, ty := range bytes.Split(value, t.separator()) {
			if i < len(t.cols) {
				t.cols[i].set = bytes.HasPrefix(ty, []byte("set[")) || bytes.HasPrefix(ty, []byte("vector["))
			}
		}
	}
}

// unescapeZeek decodes the \xNN escapes Zeek writes in header values.
func unescapeZeek(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b)+0 && b[i+1] == 'x' {
			if n, ok := record.ParseHex(b[i+2 : i+4]); ok {
				out = append(out, byte(n))
				i += 3
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// Feed hands one TSV data line to m as fields. It returns a
// *formats.LineError (Line 0) for a line that does not fit the header.
func (t *TSV) Feed(m *record.Mapper, line []byte) error {
	if len(t.cols) == 0 {
		return &formats.LineError{Reason: "no #fields header", Detail: "data line before any #fields line"}
	}
	if len(t.path) > 0 {
		m.SetType(t.hint)
	}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	if t.unsetMark == nil {
		t.markers()
	}
	var n int
	if sep := t.separator(); len(sep) == 1 {
		n = t.feedByteSep(m, line, sep[0])
	} else {
		n = t.feedStringSep(m, line, sep)
	}
	if n != len(t.cols) {
		return &formats.LineError{Reason: "wrong number of fields",
			Detail: "got " + strconv.Itoa(n) + ", #fields has " + strconv.Itoa(len(t.cols))}
	}
	return nil
}

// feedByteSep splits on a one-byte separator (Zeek's tab) and hands the
// fields of the columns a dialect reads over (Mapper.ApplyLine, which reads
// the common fields without calls), and returns the number of fields.
// Sets, markers and the rare field that starts like a marker take column's
// general path; a first-byte test is all the others pay. A line of the
// wrong number of fields is not handed over: Feed fails it whatever its
// fields hold.
func (t *TSV) feedByteSep(m *record.Mapper, line []byte, sep byte) int {
	return m.ApplyLine(&t.read, line, sep, [2]byte{t.unsetMark[0], t.emptyMark[0]},
		func(c *record.Column, field []byte) { t.column(m, &t.cols[c.At], field) })
}

func (t *TSV) feedStringSep(m *record.Mapper, line, sep []byte) int {
	n := 0
	for more := true; more; n++ {
		field := line
		if i := bytes.Index(line, sep); i >= 0 {
			field, line = line[:i], line[i+len(sep):]
		} else {
			more = false
		}
		if n < len(t.cols) && t.cols[n].f != nil {
			t.column(m, &t.cols[n], field)
		}
	}
	return n
}

// column hands one field to m, honouring the unset and empty markers and
// splitting set and vector columns.
func (t *TSV) column(m *record.Mapper, col *tsvCol, field []byte) {
	if len(field) == len(t.unsetMark) && field[0] == t.unsetMark[0] && string(field) == string(t.unsetMark) {
		return
	}
	if len(field) == len(t.emptyMark) && field[0] == t.emptyMark[0] && string(field) == string(t.emptyMark) {
		if !col.set {
			m.ApplyText(col.f, col.name, field[:0])
		}
		return
	}
	if !col.set {
		m.ApplyText(col.f, col.name, field)
		return
	}
	for {
		i := indexSep(field, t.setMark)
		if i < 0 {
			m.ApplyText(col.f, col.name, field)
			return
		}
		m.ApplyText(col.f, col.name, field[:i])
		field = field[i+len(t.setMark):]
	}
}

// markers sets the markers in effect, the header's or Zeek's defaults, and
// the columns ApplyLine reads (after #fields and #types).
func (t *TSV) markers() {
	t.unsetMark, t.emptyMark, t.setMark = t.unset, t.empty, t.setSep
	if len(t.unsetMark) == 0 {
		t.unsetMark = []byte("-")
	}
	if len(t.emptyMark) == 0 {
		t.emptyMark = []byte("(empty)")
	}
	if len(t.setMark) == 0 {
		t.setMark = []byte{','}
	}
	var read []record.Column
	for i, c := range t.cols {
		if c.f != nil {
			// Sets of a one-byte separator are split by ApplyLine, others
			// by column.
			read = append(read, record.Column{Field: c.f, Key: c.name, At: i,
				Own: c.set && len(t.setMark) != 1, Items: c.set && len(t.setMark) == 1, Sep: t.setMark[0]})
		}
	}
	t.read.Set(read, len(t.cols))
}

func indexSep(b, sep []byte) int {
	if len(sep) == 1 {
		return bytes.IndexByte(b, sep[0])
	}
	return bytes.Index(b, sep)
}
