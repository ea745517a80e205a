package feeds

import (
	"os"
	"time"

	"github.com/netflightrecorder/nfr/formats/config"
)

// Stamp fingerprints the feed files of an intel section (size and
// modification time of each), so a caller polling for changes knows when
// to Load again.
type Stamp []fileStamp

type fileStamp struct {
	path    string
	size    int64
	modTime time.Time
	missing bool
}

// StatFeeds stamps the feed files of in, resolving relative paths against baseDir.
func StatFeeds(in config.Intel, baseDir string) Stamp {
	s := make(Stamp, 0, len(in.Feeds))
	for _, f := range in.Feeds {
		path := resolve(baseDir, f.Path)
		fs := fileStamp{path: path}
		if info, err := os.Stat(path); err == nil {
			fs.size, fs.modTime = info.Size(), info.ModTime()
		} else {
			fs.missing = true
		}
		s = append(s, fs)
	}
	return s
}

// Changed reports whether any file differs between the two stamps.
func (s Stamp) Changed(other Stamp) bool {
	if len(s) != len(other) {
		return true
	}
	for i := range s {
		a, b := s[i], other[i]
		if a.path != b.path || a.size != b.size || !a.modTime.Equal(b.modTime) || a.missing != b.missing {
			return true
		}
	}
	return false
}
