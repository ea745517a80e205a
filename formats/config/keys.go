package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Key describes one configuration key, for the reference documentation.
type Key struct {
	Path    string // dotted path; list items appear as "outputs[].sink"
	Default string // the default value, as YAML would show it
	Owner   reflect.Type
	Field   reflect.StructField
}

// Keys lists every leaf key of config.yml with its default, in struct order.
func Keys() []Key {
	var keys []Key
	walkKeys(reflect.ValueOf(Default()).Elem(), "", &keys)
	return keys
}

func walkKeys(v reflect.Value, prefix string, keys *[]Key) {
	for _, f := range Fields(v.Type()) {
		fv := v.FieldByIndex(f.Index)
		path := join(prefix, f.Key)
		switch {
		case f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Time{}):
			walkKeys(fv, path, keys)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			elem := reflect.New(f.Type.Elem()).Elem()
			if fv.Len() > 0 {
				elem = fv.Index(0)
			}
			walkKeys(elem, path+"[]", keys)
		default:
			*keys = append(*keys, Key{Path: path, Default: showDefault(fv), Owner: f.Owner, Field: f.StructField})
		}
	}
}

// Field is a struct field that is a key of config.yml.
type Field struct {
	Key   string       // its yaml key
	Owner reflect.Type // the struct that declares it (an inlined struct for its fields)
	// StructField is the field; its Index is the path from the struct
	// Fields was given (for reflect.Value.FieldByIndex).
	reflect.StructField
	// Deprecated are older keys still read for it (its deprecated tag,
	// comma-separated).
	Deprecated []string
}

// Fields lists the yaml keys of struct type t in field order, those of an
// ",inline" struct in its place. Unexported fields and `yaml:"-"` are not
// keys.
func Fields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case strings.Contains(opts, "inline"):
			for _, inner := range Fields(f.Type) {
				inner.Index = append([]int{i}, inner.Index...)
				out = append(out, inner)
			}
		default:
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			var old []string
			if tag := f.Tag.Get("deprecated"); tag != "" {
				old = strings.Split(tag, ",")
			}
			out = append(out, Field{Key: name, Owner: t, StructField: f, Deprecated: old})
		}
	}
	return out
}

func showDefault(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case string:
		if x == "" {
			return `""`
		}
		return x
	}
	if v.Kind() == reflect.Slice {
		if v.Len() == 0 {
			return "[]"
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v.Interface())
}
