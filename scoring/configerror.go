package scoring

// ConfigError is a validation error for one configuration key. Key is
// relative to the section that validated it (the loader prefixes the
// section path and adds file and line).
type ConfigError struct {
	Key string
	Msg string
}

func (e *ConfigError) Error() string { return "key " + e.Key + ": " + e.Msg }
