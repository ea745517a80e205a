package flb

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Level is a log verbosity, as Fluent Bit names them.
type Level int

// Log levels, least verbose first.
const (
	LevelOff Level = iota
	LevelError
	LevelWarn
	LevelInfo
	LevelDebug
	LevelTrace
)

// levelTags are Fluent Bit's five-character level tags.
var levelTags = [...]string{"", "error", " warn", " info", "debug", "trace"}

// ParseLevel reads a Log_Level value.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(s) {
	case "off":
		return LevelOff, nil
	case "error":
		return LevelError, nil
	case "warn", "warning":
		return LevelWarn, nil
	case "", "info":
		return LevelInfo, nil
	case "debug":
		return LevelDebug, nil
	case "trace":
		return LevelTrace, nil
	}
	return LevelInfo, fmt.Errorf("%q is not one of off, error, warn, info, debug, trace", s)
}

// logOut serialises every instance's lines on one writer.
var logOut = struct {
	sync.Mutex
	w   io.Writer
	now func() time.Time
}{w: os.Stderr, now: time.Now}

// SetLogOutput redirects every logger (tests); nil restores stderr.
func SetLogOutput(w io.Writer) {
	logOut.Lock()
	defer logOut.Unlock()
	if w == nil {
		w = os.Stderr
	}
	logOut.w = w
}

// Logger writes Fluent Bit-style lines for one instance:
//
//	[2026/11/26 10:00:00] [ info] [output:nfr:nfr.0] message
type Logger struct {
	prefix string
	level  Level
}

// NewLogger returns a logger for the named instance ("nfr.0").
func NewLogger(instance string, level Level) *Logger {
	return &Logger{prefix: "[output:nfr:" + instance + "] ", level: level}
}

// Enabled reports whether lines at lvl are written.
func (l *Logger) Enabled(lvl Level) bool { return lvl <= l.level && lvl > LevelOff }

// Logf writes one line at lvl; newlines in the message become " | " so a
// message is always one line.
func (l *Logger) Logf(lvl Level, format string, args ...any) {
	if !l.Enabled(lvl) {
		return
	}
	msg := fmt.Sprintf(format, args...)
	msg = strings.ReplaceAll(strings.TrimRight(msg, "\n"), "\n", " | ")
	logOut.Lock()
	defer logOut.Unlock()
	fmt.Fprintf(logOut.w, "[%s] [%s] %s%s\n", logOut.now().Format("2006/01/02 15:04:05"), levelTags[lvl], l.prefix, msg)
}

// Errorf logs at error level.
func (l *Logger) Errorf(format string, args ...any) { l.Logf(LevelError, format, args...) }

// Warnf logs at warn level.
func (l *Logger) Warnf(format string, args ...any) { l.Logf(LevelWarn, format, args...) }

// Infof logs at info level.
func (l *Logger) Infof(format string, args ...any) { l.Logf(LevelInfo, format, args...) }

// Debugf logs at debug level.
func (l *Logger) Debugf(format string, args ...any) { l.Logf(LevelDebug, format, args...) }
