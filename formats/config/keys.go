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
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		fv := v.Field(i)
		if strings.Contains(opts, "inline") {
			walkKeys(fv, prefix, keys)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		path := join(prefix, name)
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
			*keys = append(*keys, Key{Path: path, Default: showDefault(fv), Owner: t, Field: f})
		}
	}
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
