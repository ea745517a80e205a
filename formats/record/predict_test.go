package record_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	_ "github.com/netflightrecorder/nfr/formats/dialects" // every dialect's keys
	"github.com/netflightrecorder/nfr/formats/record"
)

// predictionKeys returns raw keys to walk: every registered spelling (and
// its pieces around "."), keys no dialect reads, keys of every length
// from 0 to 20 and keys that differ from spellings in one byte or in
// length, so that guesses match and miss in every way.
func predictionKeys() []string {
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		if len(k) <= 255 && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, d := range record.Dialects() {
		for _, f := range d.Fields {
			for _, k := range f.Keys {
				add(k)
				for _, part := range bytes.Split([]byte(k), []byte(".")) {
					add(string(part))
				}
				if k != "" {
					add(k[:len(k)-1])
					add(k + "x")
					b := []byte(k)
					b[len(b)/2] ^= 1
					add(string(b))
				}
			}
		}
	}
	for n := 0; n <= 20; n++ {
		add(string(bytes.Repeat([]byte{'k'}, n)))
		add(fmt.Sprintf("%0*d", n, n))
	}
	add("A")
	add("AAAA")
	add("unknown_key")
	return out
}

// TestPredictionMatchesTable walks key sequences as the decoders do
// (records of a few shapes repeated with changes, keys in shuffled
// orders, nested under many prefixes, more than MaxCtx of them), each key
// predicted or resolved, and checks every key against the key table: the
// same field and, for a predicted key with a field, its flattened form.
// It also checks that each key is followed by its own guesses.
func TestPredictionMatchesTable(t *testing.T) {
	keys := predictionKeys()
	type step struct{ prefix, key string }
	rng := rand.New(rand.NewPCG(5, 6))
	common := []string{"id", "dns", "dns.grouped", "dns.queries", "x"}
	prefix := func() string { // top level, a common map, or one of more than MaxCtx others
		switch r := rng.IntN(10); {
		case r < 5:
			return ""
		case r < 8:
			return common[rng.IntN(len(common))]
		}
		return fmt.Sprintf("p%d", rng.IntN(2*record.MaxCtx))
	}
	shape := func() []step {
		s := make([]step, 10+rng.IntN(25))
		for i := range s {
			s[i] = step{prefix(), keys[rng.IntN(len(keys))]}
		}
		return s
	}
	shapes := [][]step{shape(), shape(), shape()}
	var p record.KeyPredictor
	p.Init()
	hits, seconds, misses, members := 0, 0, 0, 0
	// walk reads raw under prefix as a decoder does, in a record with
	// other bytes around the key (none after it at times, as at the end
	// of a record), and checks it against the key table.
	walk := func(prefix, raw string) {
		t.Helper()
		data := bytes.Repeat([]byte{0xc0}, rng.IntN(10))
		ks := len(data)
		data = append(data, raw...)
		if rng.IntN(8) != 0 {
			data = append(data, bytes.Repeat([]byte{byte(rng.IntN(256))}, rng.IntN(10)+1)...)
		}
		ke := ks + len(raw)
		if prefix == "" && !strings.Contains(raw, `"`) && rng.IntN(2) == 0 { // a JSON member
			data = append(append(data[:ke:ke], '"', ':'), data[ke:]...)
		}
		saved := p.EnterMap([]byte(prefix))
		if member := p.PredictsMember(data, ks); member >= 0 {
			members++
			// The first guess, read where Predicts can read it.
			padded := append(make([]byte, 8, 8+len(data)), data[ks:]...)
			if first := p.Predicts(padded, 8, 8+len(raw)); member != ke || !first {
				t.Fatalf("member key %q of %q predicted to end at %d (first guess: %v), want %d", raw, data, member, first, ke)
			}
		}
		full := raw
		if prefix != "" {
			full = prefix + "." + raw
		}
		var f *record.Field
		var key []byte
		switch {
		case p.Predicts(data, ks, ke):
			hits++
			f, key = p.Take()
		case p.PredictsSecond(data, ks, ke):
			seconds++
			f, key = p.TakeSecond()
		default:
			misses++
			key = []byte(full)
			f = p.Lookup(data, ks, ke, key)
		}
		p.LeaveMap(saved)
		want, id, _ := record.LookupKey([]byte(full))
		if f != want {
			t.Fatalf("key %q resolved to %v, want %v", full, f, want)
		}
		if !p.Follows(id) {
			t.Fatalf("key %q is followed by another key's guess", full)
		}
		if f != nil && string(key) != full {
			t.Fatalf("key %q predicted as %q", full, key)
		}
	}
	for r := 0; r < 20000; r++ {
		s := shapes[rng.IntN(len(shapes))]
		if rng.IntN(5) == 0 { // a changed copy of a shape
			s = append([]step(nil), s...)
			st := &s[rng.IntN(len(s))]
			switch rng.IntN(6) {
			case 0: // the same key in another map
				st.prefix = prefix()
			case 1: // one byte changed
				if b := []byte(st.key); len(b) > 0 {
					b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
					st.key = string(b)
				}
			case 2: // one byte longer or shorter
				if len(st.key) > 0 && rng.IntN(2) == 0 {
					st.key = st.key[:len(st.key)-1]
				} else {
					st.key += string(rune('a' + rng.IntN(26)))
				}
			case 3:
				st.key = keys[rng.IntN(len(keys))]
			case 4:
				i, j := rng.IntN(len(s)), rng.IntN(len(s))
				s[i], s[j] = s[j], s[i]
			case 5:
				rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
			}
			shapes[rng.IntN(len(shapes))] = s
		}
		for _, st := range s {
			walk(st.prefix, st.key)
		}
	}
	// Each key after the same one, then a key like it: one byte changed
	// (first, middle, last), one byte longer, in another map.
	for _, k := range keys {
		like := []string{k + "x", "x" + k}
		for _, i := range []int{0, len(k) / 2, len(k) - 1, len(k) - 9} {
			if i >= 0 && i < len(k) {
				b := []byte(k)
				b[i] ^= 0x20
				like = append(like, string(b))
			}
		}
		for _, o := range like {
			for _, p := range []string{"", "id"} {
				walk("", "ts")
				walk("", k)
				walk("", "ts")
				walk(p, o)
			}
		}
	}
	if members < 5000 {
		t.Fatalf("%d JSON member keys predicted: the walk does not test PredictsMember", members)
	}
	if hits < 10000 || seconds < 1000 || misses < 10000 {
		t.Fatalf("%d keys predicted, %d by the second guess, %d looked up: the walk does not test each way", hits, seconds, misses)
	}
}
