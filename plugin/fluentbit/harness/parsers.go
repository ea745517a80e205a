package harness

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
)

// Parser is one [PARSER] of examples/fluent-bit/parsers.conf, applied as
// Fluent Bit's tail input applies it: Format json keeps the object's keys
// in order (nested objects as maps, integers as int64), Format regex keeps
// the named groups that matched, as text; a line the parser does not take
// becomes {"log": line}.
type Parser struct {
	Name, Format string
	Regex        *regexp.Regexp
}

// LoadParsers reads the parsers of a Fluent Bit classic parsers file.
func LoadParsers(path string) (map[string]Parser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]Parser{}
	var cur *Parser
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "[PARSER]" {
			cur = &Parser{}
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		val = strings.TrimSpace(val)
		if cur == nil || strings.HasPrefix(line, "#") {
			continue
		}
		switch key {
		case "Name":
			cur.Name = val
		case "Format":
			cur.Format = val
		case "Regex":
			if cur.Regex, err = regexp.Compile(val); err != nil {
				return nil, fmt.Errorf("parser %s: %v", cur.Name, err)
			}
		}
		if cur.Name != "" {
			out[cur.Name] = *cur
		}
	}
	return out, sc.Err()
}

// Record is the record Fluent Bit makes of line.
func (p Parser) Record(line string) chunktest.Record {
	switch p.Format {
	case "json":
		if r, ok := jsonRecord(line); ok {
			return r
		}
	case "regex":
		if m := p.Regex.FindStringSubmatchIndex(line); m != nil {
			var kv []any
			for i, name := range p.Regex.SubexpNames() {
				if name != "" && m[2*i] >= 0 {
					kv = append(kv, name, line[m[2*i]:m[2*i+1]])
				}
			}
			return chunktest.R(kv...)
		}
	}
	return chunktest.R("log", line)
}

// jsonRecord decodes one JSON object keeping its keys in order.
func jsonRecord(line string) (chunktest.Record, bool) {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	v, err := jsonNext(dec)
	if err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	r, ok := v.(chunktest.Record)
	return r, ok
}

func jsonNext(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			var r chunktest.Record
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := jsonNext(dec)
				if err != nil {
					return nil, err
				}
				r = append(r, chunktest.R(k.(string), v)...)
			}
			_, err := dec.Token()
			if r == nil {
				r = chunktest.R()
			}
			return r, err
		}
		a := []any{}
		for dec.More() {
			v, err := jsonNext(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	case json.Number:
		if n, err := t.Int64(); err == nil && !bytes.ContainsAny([]byte(t), ".eE") {
			return n, nil
		}
		return t.Float64()
	}
	return tok, nil
}
