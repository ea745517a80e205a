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

// Input names the producer of the records a Mapper reads, which decides
// how raw log lines are decoded and how events are labelled. InputAuto
// recognises each record by its keys.
type Input uint8

// Inputs.
const (
	InputAuto Input = iota
	InputZeek
	InputMSDNS
	InputSuricata
	InputSniffer
)

var inputNames = [...]string{"auto", "zeek", "msdns", "suricata", "sniffer"}

func (in Input) String() string {
	if int(in) < len(inputNames) {
		return inputNames[in]
	}
	return "unknown"
}

// ParseInput maps "auto", "zeek", "msdns", "suricata" or "sniffer" to an Input.
func ParseInput(s string) (Input, error) {
	for i, n := range inputNames {
		if strings.EqualFold(s, n) {
			return Input(i), nil
		}
	}
	if s == "" {
		return InputAuto, nil
	}
	return InputAuto, fmt.Errorf("unknown record input %q (want one of %s)", s, strings.Join(inputNames[:], ", "))
}
