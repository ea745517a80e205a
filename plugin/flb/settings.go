package flb

import (
	"fmt"
	"strings"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/record"
)

// Getter reads one [OUTPUT] property; "" when unset. Fluent Bit matches
// keys case-insensitively and only during Init.
type Getter interface {
	Get(key string) string
}

// MapGetter is a Getter over a map with case-insensitive keys (tests, and
// the plugin's own defaults).
type MapGetter map[string]string

// Get returns the value whose key equals key ignoring case.
func (m MapGetter) Get(key string) string {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// Keys the plugin reads.
const (
	KeyConfig   = "Config"
	KeyFormat   = "Format"
	KeyOutput   = "Output"
	KeyInput    = "Input"
	KeyScope    = "Scope"
	KeyFeeds    = "Feeds"
	KeyLogLevel = "Log_Level"
	// KeyNFRLogLevel is read when Log_Level is not visible: Fluent Bit
	// consumes log_level itself for every output instance.
	KeyNFRLogLevel = "NFR_Log_Level"
	KeyOnPanic     = "On_Panic"
)

// Settings are one instance's properties, validated.
type Settings struct {
	Config   string // config.yml; "" means $NFR_CONFIG, /etc/nfr/config.yml when present, else defaults
	Format   string // json or cef; "" keeps the config's formats
	Output   string // replaces the config's outputs when set
	Input    record.Input
	Scope    string        // scope.yml, overriding the config's
	Feeds    []config.Feed // added to the config's feeds
	LogLevel Level
	OnPanic  int // Error or Retry
}

// SettingError is an invalid property value; it names the key.
type SettingError struct {
	Key string
	Msg string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("invalid value for key %s: %s", e.Key, e.Msg)
}

// ReadSettings reads and checks every key. Values that need files (Config,
// Scope, Feeds' paths) are checked when the instance opens them.
func ReadSettings(g Getter) (Settings, error) {
	s := Settings{
		Config: strings.TrimSpace(g.Get(KeyConfig)),
		Format: strings.ToLower(strings.TrimSpace(g.Get(KeyFormat))),
		Output: strings.TrimSpace(g.Get(KeyOutput)),
		Scope:  strings.TrimSpace(g.Get(KeyScope)),
	}
	if s.Format != "" && s.Format != "json" && s.Format != "cef" {
		return s, &SettingError{KeyFormat, fmt.Sprintf("%q is not json or cef", s.Format)}
	}
	if s.Output != "" {
		if _, err := config.ParseSink(s.Output); err != nil {
			return s, &SettingError{KeyOutput, err.Error()}
		}
	}
	var err error
	if s.Input, err = record.ParseInput(strings.TrimSpace(g.Get(KeyInput))); err != nil {
		return s, &SettingError{KeyInput, err.Error()}
	}
	if s.Feeds, err = ParseFeeds(g.Get(KeyFeeds)); err != nil {
		return s, &SettingError{KeyFeeds, err.Error()}
	}
	levelKey, level := KeyLogLevel, strings.TrimSpace(g.Get(KeyLogLevel))
	if level == "" {
		levelKey, level = KeyNFRLogLevel, strings.TrimSpace(g.Get(KeyNFRLogLevel))
	}
	if s.LogLevel, err = ParseLevel(level); err != nil {
		return s, &SettingError{levelKey, err.Error()}
	}
	switch v := strings.ToLower(strings.TrimSpace(g.Get(KeyOnPanic))); v {
	case "", "error":
		s.OnPanic = Error
	case "retry":
		s.OnPanic = Retry
	default:
		return s, &SettingError{KeyOnPanic, fmt.Sprintf("%q is not error or retry", v)}
	}
	return s, nil
}

// ParseFeeds reads the Feeds property: comma-separated
// CATEGORY[/FORMAT]=PATH entries, FORMAT defaulting to plain, e.g.
// "c2=/etc/nfr/c2.txt, tor/tor-exit=/var/lib/nfr/exits.txt".
func ParseFeeds(s string) ([]config.Feed, error) {
	var feeds []config.Feed
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		kind, path, ok := strings.Cut(entry, "=")
		if !ok || strings.TrimSpace(path) == "" {
			return nil, fmt.Errorf("%q is not CATEGORY[/FORMAT]=PATH", entry)
		}
		category, format, _ := strings.Cut(strings.TrimSpace(kind), "/")
		if format == "" {
			format = "plain"
		}
		feeds = append(feeds, config.Feed{Path: strings.TrimSpace(path), Category: category, Format: format})
	}
	if err := (config.Intel{Feeds: feeds}).Validate(); err != nil {
		return nil, err
	}
	return feeds, nil
}

// Outputs returns the outputs an instance delivers to: Output replaces the
// config's, Format overrides their formats; nil keeps the config's.
func (s Settings) Outputs(cfg *config.Config) []config.Output {
	switch {
	case s.Output != "":
		o := config.DefaultOutput()
		o.Sink = s.Output
		if s.Format != "" {
			o.Format = s.Format
		}
		return []config.Output{o}
	case s.Format != "":
		outs := append([]config.Output(nil), cfg.Outputs...)
		for i := range outs {
			outs[i].Format = s.Format
		}
		return outs
	}
	return nil
}
