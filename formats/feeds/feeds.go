// Package feeds reads threat-intel feed files (plain lists, hosts files,
// maltrail trail files, CSV, Tor exit lists) into an intel.Index. Every
// line is accounted for: loaded, a duplicate, a comment or blank, skipped
// format metadata, or reported as malformed with its file and line. It
// reads files and builds indexes; it does not watch files or score events
// (callers reload on SIGHUP or when Changed says a file moved on).
package feeds

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// MaxBadKept caps the malformed lines a Report keeps (all are counted).
const MaxBadKept = 200

// maxLine is the longest line accepted.
const maxLine = 1 << 20

// Report accounts for every line of one feed file.
type Report struct {
	Feed config.Feed // as configured, with Name defaulted
	Path string      // the file read (resolved against the config's directory)

	Lines      int // lines read
	Entries    int // indicators loaded
	Duplicates int // indicators already in this feed
	Comments   int
	Blank      int
	// Skipped counts lines that are format metadata, not indicators: a CSV
	// header, Tor "ExitNode"/"Published"/"LastStatus" lines, hosts-file
	// localhost entries.
	Skipped int
	// BadLines counts malformed lines; Bad keeps the first MaxBadKept.
	BadLines int
	Bad      []formats.LineError
	// Err is set when the file could not be read; nothing of it was loaded.
	Err error
}

func (r *Report) reject(line int, reason, detail string) {
	r.BadLines++
	if len(r.Bad) < MaxBadKept {
		r.Bad = append(r.Bad, formats.LineError{File: r.Path, Line: int64(line), Reason: reason, Detail: detail})
	}
}

// Load builds an index from the intel section: the built-in indicators when
// enabled, then each feed in order. Relative feed paths are resolved
// against baseDir. A feed that cannot be read is skipped, reported in its
// Report.Err and in the returned error; the index holds everything else,
// so a caller reloading on SIGHUP can choose to keep its old index.
func Load(in config.Intel, baseDir string) (*intel.Index, []Report, error) {
	b := intel.NewBuilder()
	if in.Builtin {
		b.AddBuiltin()
	}
	if in.BuiltinPopularity {
		b.UseBuiltinPopularity()
	}
	reports := make([]Report, 0, len(in.Feeds))
	names := map[string]int{}
	var errs []error
	for _, f := range in.Feeds {
		f.Name = uniqueName(f, names)
		rep := LoadFile(b, f, resolve(baseDir, f.Path))
		if rep.Err != nil {
			errs = append(errs, rep.Err)
		}
		reports = append(reports, rep)
	}
	return b.Build(), reports, errors.Join(errs...)
}

// LoadFile reads one feed file into b.
func LoadFile(b *intel.Builder, f config.Feed, path string) Report {
	if f.Name == "" {
		f.Name = filepath.Base(f.Path)
	}
	file, err := os.Open(path)
	if err != nil {
		return Report{Feed: f, Path: path, Err: fmt.Errorf("feed %s: %w", f.Name, err)}
	}
	defer file.Close()
	return Parse(b, f, path, file)
}

// Parse reads a feed from r into b; path is used in reports and as the
// source note of indicators that have no reference of their own.
func Parse(b *intel.Builder, f config.Feed, path string, r io.Reader) Report {
	if f.Name == "" {
		f.Name = filepath.Base(f.Path)
	}
	rep := Report{Feed: f, Path: path}
	p := newParser(b, f, &rep)
	if p == nil {
		rep.Err = fmt.Errorf("feed %s: unknown format %q", f.Name, f.Format)
		return rep
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for sc.Scan() {
		rep.Lines++
		text := sc.Text()
		if rep.Lines == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		p.line(rep.Lines, strings.TrimSpace(text))
	}
	if err := sc.Err(); err != nil {
		rep.Err = fmt.Errorf("feed %s: %s:%d: %w", f.Name, path, rep.Lines+1, err)
	}
	return rep
}

// resolve makes a relative path relative to baseDir.
func resolve(baseDir, p string) string {
	if p == "" || filepath.IsAbs(p) || baseDir == "" {
		return p
	}
	return filepath.Join(baseDir, p)
}

// uniqueName defaults a feed's name to its file's base name and makes it
// unique ("name#2"), so evidence always names one file.
func uniqueName(f config.Feed, seen map[string]int) string {
	name := f.Name
	if name == "" {
		name = filepath.Base(f.Path)
	}
	seen[name]++
	if n := seen[name]; n > 1 {
		return fmt.Sprintf("%s#%d", name, n)
	}
	return name
}
