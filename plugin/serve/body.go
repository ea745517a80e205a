package serve

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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

// decodeBody reads a JSON array of objects, newline-delimited JSON objects,
// or one JSON object, and calls fn for each element in order. An element
// that is not an object is passed to fn as nil (the caller rejects it).
// A syntax error ends decoding with an error (HTTP 400).
func decodeBody(r io.Reader, fn func(rec map[string]any)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstNonSpace(br)
	if err == io.EOF {
		return nil // empty body: nothing to do
	}
	if err != nil {
		return err
	}
	dec := json.NewDecoder(br)
	if first == '[' {
		if _, err := dec.Token(); err != nil {
			return err
		}
		for dec.More() {
			if err := decodeOne(dec, fn); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		return trailing(dec)
	}
	for {
		err := decodeOne(dec, fn)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func decodeOne(dec *json.Decoder, fn func(map[string]any)) error {
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	rec, _ := v.(map[string]any)
	fn(rec)
	return nil
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
