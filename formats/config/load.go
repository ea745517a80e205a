package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads the config at path. When path is empty it uses $NFR_CONFIG,
// then DefaultPath; a missing file at the default location means defaults.
// A missing file that was named explicitly is an error. The file's
// warnings (deprecated keys) are printed to stderr.
func Load(path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = os.Getenv(EnvVar)
		explicit = path != ""
	}
	if !explicit {
		path = DefaultPath
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(os.Stderr, "nfr: warning:", w)
	}
	cfg.Dir = filepath.Dir(path)
	return cfg, nil
}

// Parse decodes config.yml contents strictly. name is used in messages.
func Parse(name string, data []byte) (*Config, error) {
	cfg := Default()
	doc, warnings, err := decodeStrict(name, data, cfg)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, locate(name, doc, err)
	}
	cfg.Warnings = warnings
	return cfg, nil
}

// decodeStrict decodes data into out (which holds defaults) after checking
// every key against out's yaml tags. A deprecated key (a field's
// deprecated tag) is read as its current name and reported in warnings.
// It returns the document's root (nil for an empty file), deprecated keys
// renamed, for locate.
func decodeStrict(name string, data []byte, out any) (*yaml.Node, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(trimBOM(data), &doc); err != nil {
		return nil, nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil // empty file: defaults
	}
	root := doc.Content[0]
	kc := keyChecker{file: name}
	if err := kc.check(root, reflect.TypeOf(out).Elem(), ""); err != nil {
		return nil, nil, err
	}
	if err := root.Decode(out); err != nil {
		return nil, nil, yamlError(name, err)
	}
	return root, kc.warnings, nil
}

// keyChecker walks a document against the config structs: it reports the
// first unknown key and renames deprecated keys to their current names,
// with a warning each.
type keyChecker struct {
	file     string
	warnings []string
}

// check walks node against type t and reports the first unknown key.
func (kc *keyChecker) check(node *yaml.Node, t reflect.Type, section string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
				return nil
			}
			return &KeyError{File: kc.file, Line: node.Line, Key: section,
				Msg: fmt.Sprintf("section %q must be a mapping", sectionName(section))}
		}
		keys := yamlFields(t)
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			if err := kc.renameDeprecated(node, k, keys, section); err != nil {
				return err
			}
			ft, ok := keys.types[k.Value]
			if !ok {
				where := fmt.Sprintf("in section %q", sectionName(section))
				if section == "" {
					where = "at top level"
				}
				return &KeyError{File: kc.file, Line: k.Line, Key: join(section, k.Value),
					Msg: fmt.Sprintf("unknown key %q %s", k.Value, where)}
			}
			if err := kc.check(v, ft, join(section, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if node.Kind == yaml.SequenceNode {
			for i, item := range node.Content {
				if err := kc.check(item, t.Elem(), fmt.Sprintf("%s[%d]", section, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// renameDeprecated gives key k of mapping m its current name when it is a
// deprecated one, noting a warning; both names in one mapping is an error.
func (kc *keyChecker) renameDeprecated(m, k *yaml.Node, keys structKeys, section string) error {
	current, ok := keys.deprecated[k.Value]
	if !ok {
		return nil
	}
	old := join(section, k.Value)
	if ck, _ := mappingEntry(m, current); ck != nil {
		return &KeyError{File: kc.file, Line: k.Line, Key: old,
			Msg: fmt.Sprintf("key %q is the deprecated name of %q, which is also given", old, join(section, current))}
	}
	kc.warnings = append(kc.warnings, fmt.Sprintf("%s:%d: key %q is deprecated: rename it %q",
		kc.file, k.Line, old, join(section, current)))
	k.Value = current
	return nil
}

// structKeys are the yaml keys of a struct type: the field type of each,
// and the current key of each deprecated one.
type structKeys struct {
	types      map[string]reflect.Type
	deprecated map[string]string
}

// yamlFields returns the yaml keys of struct t (see Fields).
func yamlFields(t reflect.Type) structKeys {
	keys := structKeys{types: map[string]reflect.Type{}, deprecated: map[string]string{}}
	for _, f := range Fields(t) {
		keys.types[f.Key] = f.Type
		for _, old := range f.Deprecated {
			keys.deprecated[old] = f.Key
		}
	}
	return keys
}

func join(section, key string) string {
	if section == "" {
		return key
	}
	return section + "." + key
}

func sectionName(s string) string {
	if s == "" {
		return "top level"
	}
	return s
}

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError turns a yaml.v3 error into FILE:LINE: message.
func yamlError(file string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	if m := lineRE.FindStringSubmatch(first); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &KeyError{File: file, Line: n, Msg: m[2]}
	}
	return &KeyError{File: file, Msg: first}
}

// locate adds file and line to a validation *KeyError by finding its key
// path in the document's root (nil: no line).
func locate(file string, root *yaml.Node, err error) error {
	var ke *KeyError
	if !errors.As(err, &ke) {
		return fmt.Errorf("%s: %w", file, err)
	}
	ke.File = file
	if root != nil {
		ke.Line = findLine(root, ke.Key)
	}
	return ke
}

// findLine returns the line of the deepest node along a path such as
// "outputs[1].sink" or "groups[0].in_scope[2]"; 0 when absent.
func findLine(node *yaml.Node, path string) int {
	line := 0
	for _, part := range strings.Split(path, ".") {
		name, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			name = part[:i]
			idx, _ = strconv.Atoi(part[i+1 : len(part)-1])
		}
		key, val := mappingEntry(node, name)
		if key == nil {
			return line
		}
		node, line = val, key.Line
		if idx >= 0 {
			if node.Kind != yaml.SequenceNode || idx >= len(node.Content) {
				return line
			}
			node = node.Content[idx]
			line = node.Line
		}
	}
	return line
}

// mappingEntry returns the key and value nodes for key in a mapping node.
func mappingEntry(node *yaml.Node, key string) (k, v *yaml.Node) {
	if node.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i], node.Content[i+1]
		}
	}
	return nil, nil
}

// trimBOM strips a UTF-8 byte order mark, which Windows editors add.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
