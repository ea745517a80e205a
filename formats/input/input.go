// Package input opens the log files nfr scores offline and picks their
// decoder: it reads a path (or "-" for stdin), gunzips transparently,
// detects the format from the content when asked to, and returns a
// formats.Source. Pcap files are recognised (Detect returns "pcap") but
// not decoded here: the sniffer package reads them. It does no scoring.
package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/dialects"
	"github.com/netflightrecorder/nfr/formats/domains"
	"github.com/netflightrecorder/nfr/formats/record"
)

// Formats lists the format names Open accepts: "auto", each input
// dialect's (formats/dialects), "domains" and "hosts".
var Formats = formatNames()

func formatNames() []string {
	names := []string{"auto"}
	for _, d := range dialects.All {
		names = append(names, d.Formats...)
	}
	return append(names, "domains", "hosts")
}

// dialectOf returns the dialect that reads format, nil for none.
func dialectOf(format string) *record.Dialect {
	for _, d := range dialects.All {
		for _, f := range d.Formats {
			if f == format {
				return d
			}
		}
	}
	return nil
}

// Options tune decoding.
type Options struct {
	// TZ is the zone of MS DNS debug log times (Windows writes local
	// time); nil means UTC.
	TZ *time.Location
	// Wrap, when set, wraps the file's raw byte stream (before any gunzip),
	// e.g. to count bytes for a progress bar.
	Wrap func(io.Reader) io.Reader
}

// File is an open input: a formats.Source that must be closed.
type File struct {
	formats.Source
	// Format is the decoder in use ("zeek-tsv", "msdns", ...).
	Format  string
	closers []io.Closer
}

// Close releases the file.
func (f *File) Close() error {
	var first error
	for i := len(f.closers) - 1; i >= 0; i-- {
		if err := f.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	f.closers = nil
	return first
}

// Open opens path ("-" is stdin) with the named format ("" or "auto"
// detects it from the content).
func Open(path, format string) (*File, error) {
	return OpenWith(path, format, Options{})
}

// ErrPcap is returned by Open for packet captures, which the sniffer
// package decodes.
var ErrPcap = errors.New("packet capture: decode it with the sniffer")

// OpenWith is Open with options.
func OpenWith(path, format string, opt Options) (*File, error) {
	if !known(format) {
		return nil, fmt.Errorf("%s: unknown format %q (want one of %s)", path, format, strings.Join(Formats, ", "))
	}
	f := &File{}
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		f.closers = append(f.closers, fh)
		r = fh
	}
	if opt.Wrap != nil {
		r = opt.Wrap(r)
	}
	raw := &countingReader{r: r}
	br := bufio.NewReaderSize(raw, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		f.closers = append(f.closers, zr)
		br = bufio.NewReaderSize(&gzipPosition{zr: zr, raw: raw, buf: br}, 64<<10)
	}
	name := path
	if path == "-" {
		name = "stdin"
	}
	if format == "" || format == "auto" {
		head, _ := br.Peek(16 << 10)
		format = Detect(head)
		switch format {
		case "":
			f.Close()
			return nil, fmt.Errorf("%s: cannot detect the format; name it with --format (%s)", path, strings.Join(Formats[1:], ", "))
		case "pcap":
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, ErrPcap)
		}
	}
	f.Format = format
	f.Source = newSource(br, name, format, opt)
	return f, nil
}

func known(format string) bool {
	if format == "" {
		return true
	}
	for _, f := range Formats {
		if f == format {
			return true
		}
	}
	return false
}

func newSource(r io.Reader, name, format string, opt Options) formats.Source {
	var src formats.Source
	switch format {
	case "domains":
		src = domains.NewReader(r, name, domains.List)
	case "hosts":
		src = domains.NewReader(r, name, domains.Hosts)
	default:
		src = dialectOf(format).Open(r, name, format, opt.TZ)
	}
	src.Stats().Format = format
	return src
}

// Detect names the format of a file from its first bytes: "pcap",
// "zeek-tsv", "zeek-json", "suricata", "msdns", "hosts", "domains", or ""
// when it cannot tell.
func Detect(head []byte) string {
	if isPcap(head) {
		return "pcap"
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for rest := head; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if f, decided := detectLine(line); decided {
			return f
		}
	}
	return ""
}

func isPcap(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch string(b[:4]) {
	case "\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x4d\x3c\xb2\xa1", "\x0a\x0d\x0d\x0a":
		return true
	}
	return false
}

// detectLine classifies one non-blank line; decided is false for lines
// that say nothing (comments).
func detectLine(line []byte) (format string, decided bool) {
	for _, d := range dialects.All {
		if f := d.Detect(line); f != "" {
			return f, true
		}
	}
	switch line[0] {
	case '#':
		return "", false
	case '{':
		return "", true
	}
	fields := bytes.Fields(line)
	if len(fields) >= 2 && isAddr(fields[0]) {
		return "hosts", true
	}
	if len(fields) == 1 {
		return "domains", true
	}
	return "", true
}

func isAddr(b []byte) bool {
	_, err := netip.ParseAddr(string(b))
	return err == nil
}

// countingReader counts the bytes read from the file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gzipPosition adds to a gunzip error where it happened: the compressed
// byte offset the decompressor had reached and the decompressed bytes
// delivered before it (a truncated file, garbage after a member).
type gzipPosition struct {
	zr  *gzip.Reader
	raw *countingReader
	buf *bufio.Reader // between raw and zr
	out int64
}

func (g *gzipPosition) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	g.out += int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: at compressed byte offset %d, after %d decompressed bytes: %w",
			g.raw.n-int64(g.buf.Buffered()), g.out, err)
	}
	return n, err
}
