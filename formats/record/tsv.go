package record

import (
	"bytes"
	"strconv"

	"github.com/netflightrecorder/nfr/formats"
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
}

type tsvCol struct {
	id   fieldID
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
		for _, h := range pathHints {
			if string(value) == h.name {
				t.hint = h.t
			}
		}
	case bytes.Equal(name, dirFields):
		t.cols = t.cols[:0]
		for _, f := range bytes.Split(value, t.separator()) {
			t.cols = append(t.cols, tsvCol{id: lookupField(f), name: bytes.Clone(f)})
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
			if n, ok := parseHex(b[i+2 : i+4]); ok {
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
func (t *TSV) Feed(m *Mapper, line []byte) error {
	if len(t.cols) == 0 {
		return &formats.LineError{Reason: "no #fields header", Detail: "data line before any #fields line"}
	}
	if len(t.path) > 0 {
		m.hint, m.hintBad = t.hint, t.hint == scoring.TypeUnknown
	}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	sep := t.separator()
	unset, empty, setSep := t.unset, t.empty, t.setSep
	if len(unset) == 0 {
		unset = unsetText
	}
	if len(empty) == 0 {
		empty = emptyText
	}
	if len(setSep) == 0 {
		setSep = []byte{','}
	}
	n := 0
	for rest, more := line, true; more; n++ {
		var field []byte
		if i := indexSep(rest, sep); i >= 0 {
			field, rest = rest[:i], rest[i+len(sep):]
		} else {
			field, more = rest, false
		}
		if n >= len(t.cols) {
			continue
		}
		col := &t.cols[n]
		if col.id == fNone || bytes.Equal(field, unset) {
			continue
		}
		if !col.set && !bytes.Equal(field, empty) {
			m.apply(col.id, col.name, String(field)) // the common case
			continue
		}
		t.feedColumn(m, col, field, empty, setSep)
	}
	if n != len(t.cols) {
		return &formats.LineError{Reason: "wrong number of fields",
			Detail: "got " + strconv.Itoa(n) + ", #fields has " + strconv.Itoa(len(t.cols))}
	}
	return nil
}

// feedColumn handles empty and set-valued columns.
func (t *TSV) feedColumn(m *Mapper, col *tsvCol, field, empty, setSep []byte) {
	if bytes.Equal(field, empty) {
		if !col.set {
			m.apply(col.id, col.name, String(field[:0]))
		}
		return
	}
	if !col.set {
		m.apply(col.id, col.name, String(field))
		return
	}
	for {
		i := indexSep(field, setSep)
		if i < 0 {
			m.apply(col.id, col.name, String(field))
			return
		}
		m.apply(col.id, col.name, String(field[:i]))
		field = field[i+len(setSep):]
	}
}

func indexSep(b, sep []byte) int {
	if len(sep) == 1 {
		return bytes.IndexByte(b, sep[0])
	}
	return bytes.Index(b, sep)
}
