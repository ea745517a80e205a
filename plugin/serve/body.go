package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/record"
	"github.com/netflightrecorder/nfr/scoring"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// errTooLarge reports a body over the configured limit (HTTP 413).
var errTooLarge = errors.New("body exceeds max_body")

// errEncoding reports an unsupported Content-Encoding (HTTP 415).
var errEncoding = errors.New("unsupported Content-Encoding")

// decompress wraps body according to a Content-Encoding header value.
// The returned closer releases decoder resources.
func decompress(body io.Reader, encoding string) (io.Reader, func(), error) {
	switch encoding {
	case "", "identity":
		return body, func() {}, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case "deflate":
		zr, err := zlib.NewReader(body)
		if err != nil {
			return nil, nil, fmt.Errorf("deflate: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case "zstd":
		zr, err := zstd.NewReader(body, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(256<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, zr.Close, nil
	}
	return nil, nil, fmt.Errorf("%w %q (use gzip, deflate, zstd or none)", errEncoding, encoding)
}

// limitReader fails with errTooLarge once more than n bytes were read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooLarge
	}
	return n, err
}

// rawRecord is one record handed to a decodeBody callback: num is its
// line (NDJSON) or its position in the array (1-based); data is its JSON
// text, valid only during the call (the streaming mapper reads it in one
// pass, no map per record); reason, when set, says why it was rejected
// before mapping.
type rawRecord struct {
	num    int64
	data   []byte
	reason string
	size   int64 // bytes of the record as sent
}

// Reasons a record is rejected before mapping.
const (
	reasonUnparsable = "unparsable JSON"
	reasonNotObject  = "not a JSON object"
	reasonTooLong    = "line too long"
)

// decodeBody reads a JSON array of objects or newline-delimited JSON
// objects and calls fn for each record in order. One bad NDJSON line
// (unparsable, not an object, longer than maxLine) is passed to fn as
// rejected and decoding goes on with the next line, as on the stream
// inputs; an element of an array that is not an object likewise. Only an
// array broken by a syntax error ends decoding with an error (HTTP 400).
func decodeBody(r io.Reader, maxLine int64, fn func(rawRecord) error) error {
	return decodeFrom(bufio.NewReaderSize(r, bodyBuffer), maxLine, fn)
}

// bodyBuffer is the size of a body's read buffer: lines that fit are
// mapped where they were read, without a copy.
const bodyBuffer = 64 << 10

// decodeFrom is decodeBody reading through br.
func decodeFrom(br *bufio.Reader, maxLine int64, fn func(rawRecord) error) error {
	first, err := firstNonSpace(br)
	if err == io.EOF {
		return nil // empty body: nothing to do
	}
	if err != nil {
		return err
	}
	if first == '[' {
		return decodeArray(br, fn)
	}
	return decodeLines(br, maxLine, fn)
}

// decodeLines reads NDJSON: one record a line, blank lines ignored.
func decodeLines(br *bufio.Reader, maxLine int64, fn func(rawRecord) error) error {
	var lineBuf []byte
	for num := int64(1); ; num++ {
		line, err := readLine(br, maxLine, &lineBuf)
		if errors.Is(err, errLineTooLong) {
			if err := fn(rawRecord{num: num, reason: reasonTooLong, size: maxLine}); err != nil {
				return err
			}
			continue
		}
		if !blank(line) {
			if ferr := fn(parseLine(num, line)); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// parseLine takes one NDJSON line; it is parsed when it is mapped
// (mapRecord).
func parseLine(num int64, line []byte) rawRecord {
	return rawRecord{num: num, data: line, size: int64(len(line))}
}

// decodeArray reads a JSON array of records.
func decodeArray(br *bufio.Reader, fn func(rawRecord) error) error {
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil {
		return err
	}
	var elem json.RawMessage // reused: Decode overwrites it in place
	for num := int64(1); dec.More(); num++ {
		start := dec.InputOffset()
		if err := dec.Decode(&elem); err != nil {
			return fmt.Errorf("array element %d: %w", num, err)
		}
		r := rawRecord{num: num, data: elem, size: dec.InputOffset() - start}
		if first := bytes.TrimLeft(elem, " \t\r\n"); len(first) == 0 || first[0] != '{' {
			r.reason = reasonNotObject
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	return trailing(dec)
}

// mapRecord maps one record's JSON text onto ev with the streaming JSON
// mapper (keys in the order sent, as `nfr score` reads JSON lines). A
// record that is not JSON, or not an object, gets the reason the sidecar
// has always given (reasonUnparsable, reasonNotObject); json.Valid runs on
// that error path only.
func mapRecord(m *record.Mapper, data []byte, ev *scoring.Event) error {
	m.BeginInto(ev, time.Time{}) // assembled in ev: no copy at End
	if err := m.FeedJSON(data); err != nil {
		m.Begin(time.Time{}) // forget ev (the caller drops its slot)
		if !json.Valid(data) {
			return &formats.LineError{Reason: reasonUnparsable}
		}
		if first := bytes.TrimLeft(data, " \t\r\n"); len(first) == 0 || first[0] != '{' {
			return &formats.LineError{Reason: reasonNotObject}
		}
		return err
	}
	return m.End(ev)
}

// trailing rejects anything but white space after a top-level array.
func trailing(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("unexpected data after the JSON array")
		}
		return err
	}
	return nil
}

func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xef: // UTF-8 byte order mark
			br.Discard(2)
			continue
		}
		return b, br.UnreadByte()
	}
}

// joinPending bounds the MS DNS queries one request or stream holds while
// waiting for their responses (msdns.Joiner's MaxPending).
const joinPending = 4096

// keep keeps a mapped event, the batch's last. MS DNS queries and
// responses are separate records: they go through the join first (which
// copies them), as in nfr score and the plugin, so that every entry point
// raises the same alerts.
func (b *batcher) keep(ev *scoring.Event) {
	if ev.Origin != record.OriginMSDNS {
		return
	}
	b.join.Add(ev)
	b.events.unnext()
	b.release(false)
}

// release moves the joined events that are ready into the batch; all of
// them when final (the end of a request or a stream).
func (b *batcher) release(final bool) {
	for b.join.Ready(final) {
		b.join.Pop(b.events.next(b.paid()))
	}
}
