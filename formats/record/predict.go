package record

import (
	"bytes"
	"encoding/binary"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats/internal/unchecked"
)

// KeyPredictor resolves the keys of a stream's records more cheaply than
// the key table: the records of a stream repeat a few key sequences, so
// it remembers, for each key (by its LookupKey id), the two keys that
// followed it last (records of two kinds, DNS and flows, part ways after
// a common key) and their fields. When the next key is the one predicted,
// a comparison of two words replaces the key table's hash and probe (and,
// for a nested key, building "id.orig_h"); any other key is looked up
// and becomes the first prediction. A prediction is checked against the
// key's bytes and the map it is in, so it never changes a result, only
// what a lookup costs. The Fluent Bit chunk decoder and FeedJSON use it.
//
// A decoder hands each raw key (as the record holds it, without the
// prefix of a nested map) as data[ks:ke]: Predicts tries the first guess,
// the hot path, Take resolving the key; on a miss PredictsSecond tries
// the second guess, and on a second miss the decoder builds the
// flattened key and Lookup resolves it from the key table.
// EnterMap and LeaveMap tell it which map the keys are in. The zero value
// is ready after Init; a KeyPredictor is not safe for concurrent use.
type KeyPredictor struct {
	guesses  []successors // the guesses after each key id
	prev     *successors  // the guesses after the previous key
	ctx      uint64       // the id of the map being walked, shifted by ctxShift
	prefixes [][]byte     // the prefixes of nested maps given an id
}

// successors are the guesses after one key: the key that followed it
// last, then the one before (when it was another).
type successors struct{ first, second guess }

// guess is a key predicted to follow one key.
type guess struct {
	// The raw key is the one predicted when its first eight bytes masked
	// by amask are a and its last eight masked by zmask are z: its
	// bytes, as keys of up to 16 bytes are all predicted.
	a, amask, z, zmask uint64
	// m masked by mmask is the raw key's last six bytes followed by '"'
	// and ':' (the end of a JSON member's key, PredictsMember), for keys
	// of up to 14 bytes (with a, all their bytes) of the records' own map
	// (id 0); for others mmask is 0 and m is not, so that no word matches.
	m, mmask uint64
	// lenCtx is the raw key's length | its map's id (ctxShift); noKey
	// predicts no key.
	lenCtx uint64
	f      *Field
	after  *successors // the guesses after this key (its LookupKey id's)
	full   []byte      // the flattened key when it has a field: the field's spelling
}

const (
	// ctxShift puts a map's id above any key's length (a key is shorter
	// than 4 GiB), so that length | id names both.
	ctxShift   = 32
	maxCtx     = 31                           // nested map prefixes given an id, per KeyPredictor
	ctxNone    = uint64(maxCtx+1) << ctxShift // the id of a map past maxCtx: no guess matches it
	noKey      = ^uint64(0)                   // a guess that predicts no key
	maxGuessed = 16                           // keys of up to 16 bytes are predicted
)

// Init makes the prediction table, each guess predicting no key, and
// forgets the maps named so far.
func (p *KeyPredictor) Init() {
	p.guesses = make([]successors, KeyIDs)
	for i := range p.guesses {
		p.guesses[i].first.lenCtx, p.guesses[i].second.lenCtx = noKey, noKey
	}
	p.prev, p.ctx, p.prefixes = &p.guesses[0], 0, p.prefixes[:0]
}

// Ready reports whether Init made the prediction table.
func (p *KeyPredictor) Ready() bool { return p.guesses != nil }

// Predicts reports whether the first guess after the previous key is
// the raw key data[ks:ke] (ke <= len(data)); Take then resolves it. The
// checks and takes inline into the decoder's loop, with no value tested
// twice: a Predict returning the guess (nil on a miss) cost the chunk
// decoder 80 instructions a record, one taking data[ks:] 130
// (BenchmarkDecodeMap).
func (p *KeyPredictor) Predicts(data []byte, ks, ke int) bool {
	return p.prev.first.predicts(p.ctx, data, ks, ke)
}

// Take resolves the key Predicts predicted: its field (nil for a key no
// dialect reads) and its flattened form when it has a field (the field's
// spelling as the key table matched it, so that a decoder need not build
// a nested key).
func (p *KeyPredictor) Take() (*Field, []byte) { return p.take(&p.prev.first) }

// PredictsMember returns the end of the raw key that starts at data[ks]
// when it is the first guess and is followed by '":' (a JSON member's key
// and colon), -1 otherwise; Take then resolves it. A JSON decoder need
// not scan a predicted key for its closing quote: the guess's bytes are
// those of a key that had none. It reads two words, the key's first
// eight bytes and the eight that end with '":', and inlines into the
// decoder's loop: called, it cost Zeek JSON dns lines 745 instructions
// more (BenchmarkZeekLookupsJSON). It is for a decoder that never calls
// EnterMap (FeedJSON): the map a guess was made in is not checked, only
// guesses made in the records' own map (id 0) are taken.
func (p *KeyPredictor) PredictsMember(data []byte, ks int) int {
	g := &p.prev.first
	ke := ks + int(uint32(g.lenCtx)) // noKey's is past any data
	if ke+2 <= len(data) && ks+8 <= len(data) && ke >= 6 &&
		unchecked.Uint64LE(data, ks)&g.amask == g.a && unchecked.Uint64LE(data, ke-6)&g.mmask == g.m {
		return ke
	}
	return -1
}

// PredictsSecond is Predicts for the second guess, when the first
// missed; TakeSecond then resolves the key.
func (p *KeyPredictor) PredictsSecond(data []byte, ks, ke int) bool {
	return p.prev.second.predicts(p.ctx, data, ks, ke)
}

// TakeSecond is Take for the key PredictsSecond predicted.
func (p *KeyPredictor) TakeSecond() (*Field, []byte) { return p.take(&p.prev.second) }

// take resolves the key g predicted.
func (p *KeyPredictor) take(g *guess) (*Field, []byte) {
	p.prev = g.after
	return g.f, g.full
}

// predicts reports whether g predicts the raw key data[ks:ke] of the map
// ctx. A key ending in data's first eight bytes or starting in its last
// eight is not predicted (a word would be read past an end); reading
// the last word from an offset the guess keeps instead, for them, cost
// the chunk decoder 65 instructions a record.
func (g *guess) predicts(ctx uint64, data []byte, ks, ke int) bool {
	return uint64(ke-ks)|ctx == g.lenCtx && ke >= 8 && ks+8 <= len(data) &&
		unchecked.Uint64LE(data, ks)&g.amask == g.a && unchecked.Uint64LE(data, ke-8)&g.zmask == g.z
}

// Lookup returns the field of the raw key data[ks:ke] whose flattened
// form is key when neither guess predicted it, from the key table; the
// key becomes the first guess.
func (p *KeyPredictor) Lookup(data []byte, ks, ke int, key []byte) *Field {
	f, id, spelling := LookupKey(key)
	prev := p.prev
	prev.second = prev.first
	p.prev = &p.guesses[id]
	prev.first.train(f, p.prev, spelling, data[ks:ke], p.ctx)
	return f
}

// train makes g predict the raw key raw of the map ctx, whose field is f
// (with the spelling the key table gave) and whose guesses are after;
// keys it cannot predict (long ones, a Prefix field's, in a map past
// maxCtx) make it predict no key.
func (g *guess) train(f *Field, after *successors, spelling string, raw []byte, ctx uint64) {
	g.f, g.after, g.full, g.lenCtx = f, after, nil, noKey
	n := len(raw)
	if n > maxGuessed || ctx == ctxNone || (f != nil && spelling == "") {
		return
	}
	if f != nil {
		g.full = unsafe.Slice(unsafe.StringData(spelling), len(spelling))
	}
	g.amask, g.zmask = ^uint64(0), ^uint64(0)
	if n < 8 {
		g.amask, g.zmask = 1<<(8*n)-1, 0
	}
	var w [8]byte
	copy(w[:], raw)
	g.a = binary.LittleEndian.Uint64(w[:]) & g.amask
	g.z = 0
	if n >= 8 {
		g.z = binary.LittleEndian.Uint64(raw[n-8:])
	}
	g.lenCtx = uint64(n) | ctx
	g.m, g.mmask = 1, 0
	if n <= 14 && ctx == 0 {
		var tail [8]byte // the key's last six bytes (fewer: their end), '"', ':'
		copy(tail[6-min(n, 6):], raw[n-min(n, 6):])
		tail[6], tail[7] = '"', ':'
		g.mmask = ^uint64(0) << (8 * (6 - min(n, 6)))
		g.m = binary.LittleEndian.Uint64(tail[:]) & g.mmask
	}
}

// EnterMap has the keys that follow be those of the map whose flattened
// key is prefix (empty for the record itself) and returns the map it
// replaces, for LeaveMap.
func (p *KeyPredictor) EnterMap(prefix []byte) (saved uint64) {
	saved = p.ctx
	if len(prefix) == 0 {
		p.ctx = 0
		return saved
	}
	for i, q := range p.prefixes {
		if bytes.Equal(q, prefix) {
			p.ctx = uint64(i+1) << ctxShift
			return saved
		}
	}
	if len(p.prefixes) == maxCtx {
		p.ctx = ctxNone
		return saved
	}
	p.prefixes = append(p.prefixes, bytes.Clone(prefix))
	p.ctx = uint64(len(p.prefixes)) << ctxShift
	return saved
}

// LeaveMap has the keys that follow be those of the map EnterMap
// returned.
func (p *KeyPredictor) LeaveMap(saved uint64) { p.ctx = saved }
