package chunk

// Kind says which field of a Value is set.
type Kind uint8

// Value kinds.
const (
	KindNil Kind = iota
	KindString
	KindInt
	KindUint
	KindFloat
	KindBool
)

// Value is one scalar from a record. Str aliases the chunk.
type Value struct {
	Kind  Kind
	Str   []byte
	Int   int64
	Uint  uint64
	Float float64
	Bool  bool
}
