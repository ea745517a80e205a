package engine

import (
	"net/netip"
	"strings"
	"time"
	"unsafe"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// suppressKey identifies what suppression counts: one source raising one
// threat about one indicator.
type suppressKey struct {
	src       netip.Addr
	threat    scoring.ThreatID
	indicator string
}

// suppressEntry is the open window of a key.
type suppressEntry struct {
	start  int64 // event time (Unix ns) of the alert that opened the window
	unsent int   // sightings suppressed since that alert
}

// suppressor decides, on event time, whether a hit is alerted or counted.
type suppressor struct {
	window   time.Duration
	lru      *state.LRU[suppressKey, suppressEntry]
	keyBytes int64 // bytes held by indicator strings in the LRU
}

// nodeBytes approximates one LRU entry: the node (key, value, links) plus
// its map slot.
const nodeBytes = int64(unsafe.Sizeof(suppressKey{})+unsafe.Sizeof(suppressEntry{})) + 8 + 48

func newSuppressor(cfg SuppressConfig) *suppressor {
	s := &suppressor{window: cfg.Window}
	if s.window > 0 {
		s.lru = state.NewLRU[suppressKey, suppressEntry](cfg.MaxEntries, func(k suppressKey, _ *suppressEntry) {
			s.keyBytes -= int64(len(k.indicator))
		})
	}
	return s
}

// check records a sighting at t. It returns whether to alert and, if so,
// the count the alert carries (1 plus the sightings suppressed since the
// previous alert for the key). A sighting earlier than the window's start
// (out-of-order input) counts as inside the window.
func (s *suppressor) check(k suppressKey, t time.Time) (alert bool, count int) {
	if s.lru == nil {
		return true, 1
	}
	now := t.UnixNano()
	if v, ok := s.lru.Get(k); ok {
		if now-v.start < int64(s.window) {
			v.unsent++
			return false, 0
		}
		count = v.unsent + 1
		v.start, v.unsent = now, 0
		return true, count
	}
	k.indicator = strings.Clone(k.indicator) // do not pin the event's memory
	v, _ := s.lru.GetOrInsert(k)
	s.keyBytes += int64(len(k.indicator))
	v.start, v.unsent = now, 0
	return true, 1
}

// state reports the suppression state's size.
func (s *suppressor) state() scoring.StateStats {
	if s.lru == nil {
		return scoring.StateStats{}
	}
	return scoring.StateStats{
		Entries:   s.lru.Len(),
		Capacity:  s.lru.Cap(),
		Evictions: s.lru.Evictions(),
		Bytes:     int64(s.lru.Len())*nodeBytes + s.keyBytes,
	}
}
