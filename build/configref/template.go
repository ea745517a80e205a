package main

import (
	"bytes"
	"errors"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// engineSection renders the engine section at its defaults: every key,
// each after a one-line comment, the first sentence of its doc (the text
// docs/configuration.md shows).
func engineSection(d docs) ([]byte, error) {
	var n yaml.Node
	if err := n.Encode(engine.DefaultConfig()); err != nil {
		return nil, err
	}
	annotate(&n, reflect.TypeOf(engine.Config{}), d)
	top := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: "engine"}, &n}}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(top); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return spaceSections(b.Bytes()), nil
}

// annotate gives each key of mapping n (the encoding of a value of struct
// type t) its doc as a comment, and lists of scalars the flow style.
func annotate(n *yaml.Node, t reflect.Type, d docs) {
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			continue
		}
		k.HeadComment = firstSentence(d.key(f.Owner, f.StructField))
		switch {
		case v.Kind == yaml.MappingNode && f.Type.Kind() == reflect.Struct:
			annotate(v, f.Type, d)
		case v.Kind == yaml.SequenceNode:
			v.Style = yaml.FlowStyle
		}
	}
}

// yamlFields maps the yaml keys of struct t to its fields.
func yamlFields(t reflect.Type) map[string]config.Field {
	m := map[string]config.Field{}
	for _, f := range config.Fields(t) {
		m[f.Key] = f
	}
	return m
}

// spaceSections puts a blank line before each subsection of the engine
// section (a comment at two spaces' indent that follows a deeper line).
func spaceSections(y []byte) []byte {
	lines := strings.SplitAfter(string(y), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 1 && strings.HasPrefix(l, "  #") && strings.HasPrefix(lines[i-1], "    ") {
			b.WriteString("\n")
		}
		b.WriteString(l)
	}
	return []byte(b.String())
}

// spliceEngine replaces the engine section of the config template (from
// its "engine:" line to the next line that starts a top-level comment or
// key, blank lines before it kept) with section.
func spliceEngine(tmpl, section []byte) ([]byte, error) {
	lines := strings.SplitAfter(string(tmpl), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "engine:") {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, errors.New("no line starting with engine:")
	}
	end := start + 1
	for end < len(lines) && (lines[end] == "" || lines[end] == "\n" || lines[end][0] == ' ') {
		end++
	}
	for end > start+1 && lines[end-1] == "\n" {
		end--
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines[:start], ""))
	b.Write(section)
	b.WriteString(strings.Join(lines[end:], ""))
	return []byte(b.String()), nil
}
