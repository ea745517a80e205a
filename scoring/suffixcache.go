package scoring

import (
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// publicSuffix is publicsuffix.PublicSuffix behind a small direct-mapped
// cache. The library call allocates (it first tries to parse the name as an
// IP address), so the cache keeps repeated names, and long names sharing
// their last labels (tunnels, CDNs), allocation-free. The key is the name's
// last suffixKeyLabels labels: the library's rule trie is never deeper than
// that, so the walk over the key is the walk over the whole name. Memory is
// fixed at suffixCacheSize entries.
func publicSuffix(name string) (string, bool) {
	key := lastLabels(name, suffixKeyLabels)
	slot := &suffixCache.slots[fnv32(key)%suffixCacheSize]
	suffixCache.mu.Lock()
	hit := slot.key == key
	n, icann := slot.suffixLen, slot.icann
	suffixCache.mu.Unlock()
	if !hit {
		s, ic := publicsuffix.PublicSuffix(key)
		n, icann = len(s), ic
		suffixCache.mu.Lock()
		*slot = suffixSlot{key: strings.Clone(key), suffixLen: n, icann: ic}
		suffixCache.mu.Unlock()
	}
	if n > len(key) { // the library answered with more than the key: never expected
		return publicsuffix.PublicSuffix(name)
	}
	return name[len(name)-n:], icann
}

const (
	suffixCacheSize = 4096
	// suffixKeyLabels exceeds the depth of the deepest public suffix rule (5 labels).
	suffixKeyLabels = 7
)

type suffixSlot struct {
	key       string
	suffixLen int
	icann     bool
}

var suffixCache struct {
	mu    sync.Mutex
	slots [suffixCacheSize]suffixSlot
}

// lastLabels returns the last n labels of name.
func lastLabels(name string, n int) string {
	i := len(name)
	for ; n > 0; n-- {
		i = strings.LastIndexByte(name[:i], '.')
		if i < 0 {
			return name
		}
	}
	return name[i+1:]
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
