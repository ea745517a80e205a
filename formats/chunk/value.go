package chunk

import "github.com/netflightrecorder/nfr/formats/record"

// Value is the scalar handed to a FieldSink; Str aliases the chunk.
type Value = record.Value

// Value kinds, as formats/record names them.
const (
	KindNil    = record.KindNil
	KindString = record.KindString
	KindInt    = record.KindInt
	KindUint   = record.KindUint
	KindFloat  = record.KindFloat
	KindBool   = record.KindBool
)
