package record

// Field is a key the Mapper understands, resolved from its spelling by
// LookupField so that a decoder can hand values over (SetField) without
// the Mapper looking the key up again, and skip the values of keys the
// Mapper ignores (FieldNone).
type Field = fieldID

// FieldNone is the Field of a key the Mapper ignores.
const FieldNone Field = fNone

// LookupField resolves a (flattened) key. It does not allocate.
func LookupField(key []byte) Field { return lookupField(key) }

// SetField hands over one value whose key the caller resolved to f; it is
// Field without the lookup. key is used only in error details. The Mapper
// neither keeps nor modifies key or v.
func (m *Mapper) SetField(f Field, key []byte, v *Value) { m.set(f, key, v) }
