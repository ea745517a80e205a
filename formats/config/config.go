// Package config decodes nfr's config.yml and scope.yml strictly: unknown
// keys and invalid values are errors that name the file, line and key; a
// deprecated key is read as its current name, with a warning that Load
// prints to stderr. It only reads and validates; it does not start
// anything.
package config

import (
	"errors"
	"fmt"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// DefaultPath is where nfr looks for its config when none is given.
const DefaultPath = "/etc/nfr/config.yml"

// EnvVar overrides DefaultPath.
const EnvVar = "NFR_CONFIG"

// Config is the whole of config.yml. Every key has a default (Default).
type Config struct {
	Engine  engine.Config `yaml:"engine"`
	Intel   Intel         `yaml:"intel"`
	Scope   Scope         `yaml:"scope"`
	Outputs []Output      `yaml:"outputs"`
	Sniffer Sniffer       `yaml:"sniffer"`
	Serve   Serve         `yaml:"serve"`
	Log     Log           `yaml:"log"`

	// Dir is the directory of the file the config was read from, for
	// resolving relative paths. Not a key.
	Dir string `yaml:"-"`
	// Warnings are the file's deprecated keys, each as "FILE:LINE: ...";
	// Load prints them to stderr. Not a key.
	Warnings []string `yaml:"-"`
}

// Log is the log section.
type Log struct {
	// Level is one of debug, info, warn, error.
	Level string `yaml:"level"`
}

// Default returns the configuration used when no file exists.
func Default() *Config {
	return &Config{
		Engine:  engine.DefaultConfig(),
		Intel:   DefaultIntel(),
		Scope:   DefaultScope(),
		Outputs: []Output{DefaultOutput()},
		Sniffer: DefaultSniffer(),
		Serve:   DefaultServe(),
		Log:     Log{Level: "info"},
	}
}

// validator is implemented by every section that checks its values.
type validator interface{ Validate() error }

// Validate checks every section. The returned error is a *KeyError naming
// the full key path where the section reported one.
func (c *Config) Validate() error {
	sections := []struct {
		path string
		v    validator
	}{
		{"engine", c.Engine}, // its own keys and every detector section
		{"intel", c.Intel}, {"scope", c.Scope}, {"sniffer", c.Sniffer}, {"serve", c.Serve},
		{"log", c.Log},
	}
	for _, s := range sections {
		if err := s.v.Validate(); err != nil {
			return prefixKey(s.path, err)
		}
	}
	for i, o := range c.Outputs {
		if err := o.Validate(); err != nil {
			return prefixKey(fmt.Sprintf("outputs[%d]", i), err)
		}
	}
	return nil
}

// Validate checks the log section.
func (l Log) Validate() error {
	switch l.Level {
	case "debug", "info", "warn", "error":
		return nil
	}
	return &scoring.ConfigError{Key: "level", Msg: fmt.Sprintf("%q is not one of debug, info, warn, error", l.Level)}
}

// KeyError is a configuration error located at a key (and, once the loader
// has seen the file, a line).
type KeyError struct {
	File string
	Line int
	Key  string // full dotted path, e.g. "engine.dga.threshold"
	Msg  string
}

func (e *KeyError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

func prefixKey(section string, err error) error {
	var ce *scoring.ConfigError
	if errors.As(err, &ce) {
		key := section + "." + ce.Key
		return &KeyError{Key: key, Msg: fmt.Sprintf("invalid value for key %q: %s", key, ce.Msg)}
	}
	return &KeyError{Key: section, Msg: fmt.Sprintf("invalid section %q: %v", section, err)}
}
