package record

import (
	"fmt"
	"strings"
)

// Kind says which member of a Value holds its content.
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

// Value is one scalar of a record. Str is only valid during the Field call
// that receives it: the Mapper copies what it keeps.
type Value struct {
	Kind  Kind
	Str   []byte
	Int   int64
	Uint  uint64
	Float float64
	Bool  bool
}

// String returns a string Value viewing b (not copied).
func String(b []byte) Value { return Value{Kind: KindString, Str: b} }

// Int returns an integer Value.
func Int(n int64) Value { return Value{Kind: KindInt, Int: n} }

// Uint returns an unsigned integer Value.
func Uint(n uint64) Value { return Value{Kind: KindUint, Uint: n} }

// Float returns a floating-point Value.
func Float(f float64) Value { return Value{Kind: KindFloat, Float: f} }

// Bool returns a boolean Value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// Input names the dialect of the records a Mapper reads, which decides
// how raw log lines are decoded and how events are labelled: InputAuto,
// which recognises each record by its keys, or a registered dialect's
// (Register returns it: zeek.Input, suricata.Input, msdns.Input,
// InputSniffer).
type Input uint8

// InputAuto recognises each record's dialect by its keys.
const InputAuto Input = 0

func (in Input) String() string {
	if in == InputAuto {
		return "auto"
	}
	if d := dialectOf(in); d != nil {
		return d.Name
	}
	return "unknown"
}

// ParseInput maps "auto" ("" too) or a registered dialect's name
// ("zeek", "msdns", "suricata", "sniffer") to an Input.
func ParseInput(s string) (Input, error) {
	if s == "" || strings.EqualFold(s, "auto") {
		return InputAuto, nil
	}
	names := []string{"auto"}
	for _, d := range dialects {
		if strings.EqualFold(s, d.Name) {
			return d.input, nil
		}
		names = append(names, d.Name)
	}
	return InputAuto, fmt.Errorf("unknown record input %q (want one of %s)", s, strings.Join(names, ", "))
}
