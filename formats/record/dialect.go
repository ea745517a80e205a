package record

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// Group bits say what kind of record a key suggests.
type Group uint32

// Groups a Field may carry.
const (
	GroupDNS Group = 1 << iota
	GroupFlow
	GroupICMP
	GroupHTTP
	GroupTLS
	// GroupStructured: the record is structured, not a raw log line in a
	// "log" or "message" key with metadata around it.
	GroupStructured
	// GroupDialect: the key marks the record as its dialect's (Register
	// replaces it with the dialect's own bit).
	GroupDialect

	dialectShift = 8 // dialect i's bit is 1 << (dialectShift + i)
	maxDialects  = 32 - dialectShift
)

// Setter applies one value of a field to the record being assembled. key
// is for error details only. Neither key nor v may be kept, and v may be
// a Mapper's scratch value: a setter that hands a value on builds it in
// its own storage (a dialect State, not a local variable, which would
// escape through the call).
type Setter func(m *Mapper, key []byte, v *Value)

// textSetter is a Setter for a text value, given as its bytes: what the
// Setter does with String(text), without building the Value and telling
// its kind, for decoders of text columns (Zeek TSV) through ApplyText.
type textSetter func(m *Mapper, key, text []byte)

// Field is one row of a dialect's field table: every spelling of a key,
// the kinds of record it suggests and the setter of its values.
type Field struct {
	Keys  []string
	Group Group
	Set   Setter
	// Prefix: each of Keys is a prefix, and the key is the prefix followed
	// by one more name without "." (Suricata's "dns.grouped.<TYPE>").
	Prefix bool

	group Group // Group with GroupDialect resolved
	// text is Set for text values (ApplyText): a setter of its own for
	// the common fields Zeek TSV lines carry, else (Register) one calling
	// Set with m.Text(text), which costs a call more than Apply.
	text textSetter
	// kind names the common fields of Zeek's logs for ApplyLine.
	kind textKind
}

// State is what a dialect keeps in each Mapper (see Mapper.State). Reset
// is called before each record that follows one which used the state; it
// clears what belongs to one record and keeps what belongs to the stream.
type State interface{ Reset() }

// Dialect is one input dialect: how its records are mapped (its field
// table and finish hook), how its raw lines are read, and how files of it
// are opened and recognised (formats/input). Register it from the
// dialect's package; formats/dialects links every dialect into a binary.
type Dialect struct {
	Name string // for ParseInput and settings: "suricata"
	// Origins is the Event.Origin of each scoring.EventType (indexed by it).
	Origins [6]string
	Fields  []Field
	// Default: records whose keys mark no dialect are this dialect's
	// (Zeek's names are nfr's own).
	Default bool

	// State returns the dialect's per-Mapper state (nil when it keeps none).
	State func() State
	// Finish completes a record of type typ after its fields: own is true
	// when the record is this dialect's, false when it only used the
	// dialect's state (a key of the dialect in a record of another). An
	// error is End's (a *formats.LineError, or SkipError).
	Finish func(m *Mapper, typ scoring.EventType, own bool) error

	// Line hands one raw log line (a record's "log" or "message") to m as
	// fields, or returns SkipError for a line that holds no event. Lines
	// go to the Mapper's own dialect when it has a Line, else to the
	// Default dialect's; with InputAuto, a dialect whose LooksLike accepts
	// the line takes it first. JSON lines are read as JSON.
	Line      func(m *Mapper, line []byte) error
	LooksLike func(line []byte) bool

	// Formats are the file format names (formats/input) the dialect reads
	// ("zeek-tsv"); Open returns the decoder of a file in one of them (loc:
	// the zone of times the log writes in local time). Detect names the
	// format of a file whose first telling line is line, "" when it is not
	// the dialect's.
	Formats []string
	Open    func(r io.Reader, file, format string, loc *time.Location) formats.Source
	Detect  func(line []byte) string

	input Input
	bit   Group
}

// Input returns the dialect's Input (InputAuto before Register).
func (d *Dialect) Input() Input { return d.input }

var (
	dialects []*Dialect
	keys     = new(keyTable)
	// defaultDialect is the first registered Default dialect, nil before.
	defaultDialect *Dialect
)

// Register adds a dialect and returns its Input. It panics when a spelling
// of one of its keys is another field's, or on too many dialects:
// registration happens at init, so every test of a binary catches it.
func Register(d *Dialect) Input {
	if len(dialects) >= maxDialects {
		panic("record: too many dialects")
	}
	for _, o := range dialects {
		if o.Name == d.Name {
			panic("record: dialect " + d.Name + " registered twice")
		}
	}
	d.input, d.bit = Input(len(dialects)+1), 1<<(dialectShift+len(dialects))
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Set == nil {
			panic(fmt.Sprintf("record: dialect %s: field %v has no setter", d.Name, f.Keys))
		}
		if f.text == nil {
			set := f.Set
			f.text = func(m *Mapper, key, text []byte) { set(m, key, m.Text(text)) }
		}
		f.group = f.Group &^ GroupDialect
		if f.Group&GroupDialect != 0 {
			f.group |= d.bit
		}
		for _, k := range f.Keys {
			if o := keys.add(k, f); o != nil {
				panic(fmt.Sprintf("record: key %q of dialect %s is already a field", k, d.Name))
			}
		}
	}
	dialects = append(dialects, d)
	if d.Default && defaultDialect == nil {
		defaultDialect = d
	}
	return d.input
}

// Dialects returns the registered dialects, in registration order.
func Dialects() []*Dialect { return dialects[:len(dialects):len(dialects)] }

func dialectOf(in Input) *Dialect {
	if in == InputAuto || int(in) > len(dialects) {
		return nil
	}
	return dialects[in-1]
}

// LookupField resolves a (flattened) key to its field, nil for a key no
// dialect reads. It does not allocate.
func LookupField(key []byte) *Field { return keys.get(key) }

// KeyIDs bounds the ids LookupKey gives keys.
const KeyIDs = keySlots

// LookupKey is LookupField that also returns the key's id, a number below
// KeyIDs (its place in the key table: different keys may share an id, a
// key always has the same), for a decoder keeping state per key, and the
// spelling the field was registered with ("" for a key no dialect reads
// and for a Prefix field's key). Keys are registered at init (Register),
// so a key's field, id and spelling never change while records are read.
func LookupKey(key []byte) (f *Field, id int, spelling string) {
	a, z := keyWords(key)
	f, i := keys.probe(key, a, z, hashWords(a, z, len(key)))
	return f, int(i), keys.slots[i].key
}

// Alias returns a field with the group and setter of the field of key
// (one of this package's Key constants) under other spellings, for a
// dialect that names a common field its own way ("src_ip" for
// "id.orig_h"); extra groups are added.
func Alias(key string, extra Group, spellings ...string) Field {
	f := LookupField([]byte(key))
	if f == nil {
		panic("record: Alias of unknown key " + key)
	}
	return Field{Keys: spellings, Group: f.Group | extra, Set: f.Set, text: f.text, kind: f.kind}
}

// keyTable is an open-addressing hash table of spellings. A key is
// summed up by its length and two words: its first and last eight bytes
// (four for shorter keys, the three bytes of keys up to three long), which
// is the key itself up to 16 bytes: a probe hashes them and compares them,
// with no loop and no call for all but the longest keys. Prefix fields
// are kept aside.
type keyTable struct {
	slots    [keySlots]keySlot
	n        int
	prefixes []prefixField
	// prefixStart marks the first bytes of prefixes: a key starting
	// otherwise can only be a spelling.
	prefixStart [256]bool
}

// keySlots is the table's size: four times the spellings there are, or
// more (Register panics when the table is half full).
const (
	keySlots = 1 << keyBits
	keyBits  = 10
)

type keySlot struct {
	a, z uint64
	n    int
	key  string
	f    *Field
}

type prefixField struct {
	prefix string
	f      *Field
}

// keyWords returns the two words that, with its length, identify a key of
// up to 16 bytes.
func keyWords(b []byte) (a, z uint64) {
	switch n := len(b); {
	case n >= 8:
		return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		return uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1]), 0
	}
	return 0, 0
}

func hashWords(a, z uint64, n int) uint64 {
	return ((a*0x9e3779b97f4a7c15+z)*0xc2b2ae3d27d4eb4f ^ uint64(n)*0x165667b19e3779f9) >> (64 - keyBits)
}

func (t *keyTable) get(key []byte) *Field {
	a, z := keyWords(key)
	n := len(key)
	i := hashWords(a, z, n)
	s := &t.slots[i]
	if s.a == a && s.z == z && s.n == n && n <= 16 {
		return s.f // the common case: a short key at its first probe
	}
	if s.f == nil && (n == 0 || !t.prefixStart[key[0]]) {
		return nil // a key no dialect reads, at an empty slot
	}
	f, _ := t.probe(key, a, z, i)
	return f
}

// probe is get from slot i on: further probes, long keys, prefixes. It
// also returns the slot where it stopped: the key's, or the empty slot
// that ends its probe sequence when no spelling is the key.
func (t *keyTable) probe(key []byte, a, z, i uint64) (*Field, uint64) {
	n := len(key)
	for ; ; i = (i + 1) & (keySlots - 1) {
		s := &t.slots[i]
		if s.f == nil {
			break
		}
		if s.a == a && s.z == z && s.n == n && (n <= 16 || s.key == string(key)) {
			return s.f, i
		}
	}
	for _, p := range t.prefixes {
		if len(key) >= len(p.prefix) && string(key[:len(p.prefix)]) == p.prefix &&
			strings.IndexByte(view(key[len(p.prefix):]), '.') < 0 {
			return p.f, i
		}
	}
	return nil, i
}

// add inserts key; it returns the field already holding it, if any.
func (t *keyTable) add(key string, f *Field) *Field {
	if f.Prefix {
		if key == "" {
			panic("record: empty key prefix")
		}
		for _, p := range t.prefixes {
			if p.prefix == key {
				return p.f
			}
		}
		t.prefixes = append(t.prefixes, prefixField{key, f})
		t.prefixStart[key[0]] = true
		return nil
	}
	if o := t.get([]byte(key)); o != nil {
		return o
	}
	if (t.n+1)*2 > keySlots {
		panic("record: too many keys")
	}
	t.insert(key, f)
	return nil
}

func (t *keyTable) insert(key string, f *Field) {
	a, z := keyWords([]byte(key))
	i := hashWords(a, z, len(key))
	for t.slots[i].f != nil {
		i = (i + 1) & (keySlots - 1)
	}
	t.slots[i] = keySlot{a: a, z: z, n: len(key), key: key, f: f}
	t.n++
}
