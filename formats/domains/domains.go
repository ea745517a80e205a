// Package domains reads plain domain lists (one name a line, "#"
// comments, optionally "rank,name" CSV rows) and hosts files ("address
// name..." lines) as DNS query events with no source address and no
// time, so that names can be scored on their own. It does no scoring.
package domains

import (
	"bytes"
	"io"
	"net/netip"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/input/lines"
	"github.com/netflightrecorder/nfr/scoring"
)

// Mode selects the file layout.
type Mode uint8

// Modes.
const (
	List  Mode = iota // one name a line
	Hosts             // hosts(5) file
)

// MaxName is the longest name accepted (RFC 1035 limit).
const MaxName = 253

// Reader is a formats.Source over one list.
type Reader struct {
	file    string
	mode    Mode
	origin  string
	lines   *lines.Reader
	stats   formats.Stats
	names   [][]byte // names of the current hosts line still to emit
	lineNum int64
	buf     []byte
}

// NewReader decodes r; file names it in errors.
func NewReader(r io.Reader, file string, mode Mode) *Reader {
	d := &Reader{file: file, mode: mode, lines: lines.NewReader(r), origin: "domains"}
	d.stats.Format = "domains"
	if mode == Hosts {
		d.origin, d.stats.Format = "hosts", "hosts"
	}
	return d
}

// Stats returns the counters.
func (d *Reader) Stats() *formats.Stats { return &d.stats }

// Next fills ev with the next event; see formats.Source.
func (d *Reader) Next(ev *scoring.Event) error {
	for {
		if len(d.names) > 0 {
			name := d.names[0]
			d.names = d.names[1:]
			if ignoredHostName(name) {
				d.stats.Skip("local name")
				continue
			}
			if reason := checkName(name); reason != "" {
				return d.stats.Reject(d.file, d.lineNum, reason, truncate(name))
			}
			d.emit(ev, name)
			return nil
		}
		line, num, err := d.lines.Counted(&d.stats, d.file)
		if err != nil {
			return err
		}
		d.lineNum = num
		if err := d.split(line); err != nil {
			return err
		}
	}
}

// split strips comments and queues the line's names.
func (d *Reader) split(line []byte) error {
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
		if len(bytes.TrimSpace(line)) == 0 {
			d.stats.Skip("comment")
			return nil
		}
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		d.stats.Skip("blank")
		return nil
	}
	d.buf = append(d.buf[:0], line...)
	fields := bytes.Fields(d.buf)
	if d.mode == List {
		if len(fields) != 1 {
			return d.stats.Reject(d.file, d.lineNum, "bad domain", "more than one word: "+truncate(line))
		}
		name := fields[0]
		if i := bytes.LastIndexByte(name, ','); i >= 0 { // "rank,name" CSV
			name = name[i+1:]
		}
		d.names = append(d.names[:0], name)
		return nil
	}
	if len(fields) < 2 {
		return d.stats.Reject(d.file, d.lineNum, "bad hosts line", "want an address and a name: "+truncate(line))
	}
	if _, err := netip.ParseAddr(string(fields[0])); err != nil {
		return d.stats.Reject(d.file, d.lineNum, "bad address", truncate(fields[0]))
	}
	d.names = append(d.names[:0], fields[1:]...)
	return nil
}

func (d *Reader) emit(ev *scoring.Event, name []byte) {
	ev.Reset()
	ev.Type = scoring.TypeDNS
	ev.Origin = d.origin
	ev.DNS.Query = string(bytes.TrimSuffix(name, []byte{'.'}))
	d.stats.Events++
}

// checkName returns why name is not a plausible DNS name, "" if it is.
func checkName(name []byte) string {
	name = bytes.TrimSuffix(name, []byte{'.'})
	if len(name) == 0 || len(name) > MaxName {
		return "bad domain"
	}
	label := 0
	for _, c := range name {
		switch {
		case c == '.':
			if label == 0 {
				return "bad domain"
			}
			label = 0
			continue
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '*', c >= 0x80:
		default:
			return "bad domain"
		}
		label++
		if label > 63 {
			return "bad domain"
		}
	}
	return ""
}

// ignoredHostName reports the names every hosts file maps to itself.
func ignoredHostName(name []byte) bool {
	switch string(name) {
	case "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
		"ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0":
		return true
	}
	return false
}

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "..."
	}
	return string(b)
}
