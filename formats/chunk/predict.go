package chunk

import (
	"bytes"
	"encoding/binary"
	"unsafe"

	"github.com/netflightrecorder/nfr/formats/internal/unchecked"
	"github.com/netflightrecorder/nfr/formats/record"
)

// Key prediction: the records of a chunk repeat a few key sequences, so
// NextMapped remembers, for each key (by its record.LookupKey id), the two
// keys that followed it last (records of two kinds, DNS and flows, part
// ways after a common key) and their fields. When the next key is the one
// predicted, a comparison of two words replaces the key table's hash and
// probe (and, for a nested key, building "id.orig_h"); any other key is
// looked up and becomes the first prediction. A prediction is checked
// against the key's bytes and the map it is in, so it never changes a
// result, only what a lookup costs.

// successors are the guesses after one key: the key that followed it
// last, then the one before (when it was another).
type successors struct{ first, second guess }

// guess is the key predicted to follow one key.
type guess struct {
	// The raw key (as the chunk holds it, without the prefix of a nested
	// map) is the one predicted when its first eight bytes masked by
	// amask are a and its last eight masked by zmask are z: its bytes, as
	// keys of up to 16 bytes are all predicted.
	a, amask, z, zmask uint64
	// lenCtx is the raw key's length | its map's prefix id (ctxShift);
	// -1 predicts no key.
	lenCtx int
	f      *record.Field
	after  *successors // the guesses after this key (its LookupKey id's)
	full   []byte      // the flattened key when it has a field: the field's spelling
}

const (
	ctxShift   = 8                        // a raw key in pairs is at most 255 bytes long
	maxCtx     = 31                       // nested map prefixes given an id, per Decoder
	ctxNone    = (maxCtx + 1) << ctxShift // the prefix of a map past maxCtx: no guess matches it
	maxGuessed = 16                       // keys of up to 16 bytes are predicted
)

// initGuesses makes the prediction table, each guess predicting no key.
func (d *Decoder) initGuesses() {
	d.guesses = make([]successors, record.KeyIDs)
	for i := range d.guesses {
		d.guesses[i].first.lenCtx, d.guesses[i].second.lenCtx = -1, -1
	}
	d.prev = &d.guesses[0]
}

// predicts reports whether g predicts the raw key data[ks:ke] (ke <=
// len(data)) of the map ctx.
func (g *guess) predicts(ctx int, data []byte, ks, ke int) bool {
	return (ke-ks)|ctx == g.lenCtx && ke >= 8 && ks+8 <= len(data) &&
		unchecked.Uint64LE(data, ks)&g.amask == g.a && unchecked.Uint64LE(data, ke-8)&g.zmask == g.z
}

// resolve is the way of the raw key data[ks:ke] of the map under prefix
// (its length in d.key) when the first guess after the previous key did
// not predict it: the second guess, or the key table, the key becoming
// the first guess. It returns the flattened key (built in d.key when
// nested) and its field.
func (d *Decoder) resolve(data []byte, prefix, ks, ke int) ([]byte, *record.Field) {
	key := data[ks:ke]
	if prefix > 0 {
		d.key = append(append(d.key[:prefix], '.'), key...)
		key = d.key
	}
	p := d.prev
	if g := &p.second; g.predicts(d.ctx, data, ks, ke) {
		d.prev = g.after
		return key, g.f
	}
	f, id, spelling := record.LookupKey(key)
	p.second = p.first
	g := &p.first
	d.prev = &d.guesses[id]
	n := ke - ks
	g.f, g.after, g.full, g.lenCtx = f, d.prev, nil, -1
	if n > maxGuessed || d.ctx == ctxNone {
		return key, f
	}
	if f != nil {
		if spelling == "" { // a Prefix field's key: its flattened form is not kept
			return key, f
		}
		g.full = unsafe.Slice(unsafe.StringData(spelling), len(spelling))
	}
	g.amask, g.zmask = ^uint64(0), ^uint64(0)
	if n < 8 {
		g.amask, g.zmask = 1<<(8*n)-1, 0
	}
	var w [8]byte
	copy(w[:], key[len(key)-n:])
	g.a = binary.LittleEndian.Uint64(w[:]) & g.amask
	g.z = 0
	if n >= 8 {
		g.z = binary.LittleEndian.Uint64(key[len(key)-8:])
	}
	g.lenCtx = n | d.ctx
	return key, f
}

// enterMap sets d.ctx to the id of the prefix in d.key, the map about to
// be walked, and returns the id it replaces.
func (d *Decoder) enterMap() (saved int) {
	saved = d.ctx
	if len(d.key) == 0 {
		d.ctx = 0
		return saved
	}
	for i, p := range d.prefixes {
		if bytes.Equal(p, d.key) {
			d.ctx = (i + 1) << ctxShift
			return saved
		}
	}
	if len(d.prefixes) == maxCtx {
		d.ctx = ctxNone
		return saved
	}
	d.prefixes = append(d.prefixes, bytes.Clone(d.key))
	d.ctx = len(d.prefixes) << ctxShift
	return saved
}
