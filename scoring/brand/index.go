package brand

import (
	"slices"
	"strings"
	"sync"
)

// Keyword length rules. Short names collide with ordinary domains, so they
// get only the techniques that keep the whole name intact.
const (
	// minTypoLen is the shortest keyword that typo and look-alike matching
	// (edit distance 1) applies to.
	minTypoLen = 4
	// DefaultMinTypoLength is the shortest keyword that typos which drop or
	// change a letter apply to by default: every built-in brand's typos
	// are caught. A 4-letter name is one edit away from some ordinary short
	// names (xiti for citi, sbc for hsbc): on opendns-top10k that flags 14
	// names in 10,000 against 7 with 5 (make eval), so min_typo_length 5
	// trades typos of 4-letter brands for that noise.
	DefaultMinTypoLength = 4
	// minStrongLen is the shortest keyword that, standing alone as a
	// subdomain label, is flagged without its domain spelled out (when it
	// is not a dictionary word).
	minStrongLen = 4
	// minEmbeddedLen is the shortest keyword matched inside a longer token
	// ("paypallogin"); the rest of the token must be lure words.
	minEmbeddedLen = 4
)

// keyword is one protected label.
type keyword struct {
	text     string
	brand    int32  // index into index.brands
	domain   string // the brand's real domain this keyword stands for
	common   bool   // a dictionary word: as a subdomain label it needs its domain spelled out
	wordTail bool   // its letters after the first are a dictionary word (icloud, gmail)
}

// index holds every precomputed lookup structure. Immutable once built, so
// detectors may share it.
type index struct {
	brands   []Brand
	keywords []keyword
	own      map[string]int32         // registered domain → brand it belongs to
	suffixes map[brandSuffix]struct{} // the public suffixes each brand registers under
	allow    map[string]struct{}      // registered domains never flagged (infrastructure, user allow list)
	skip     map[string]struct{}      // own and allow together: one lookup on the hot path
	exact    map[string]int32         // keyword → keywords index
	folded   map[string]int32         // ASCII look-alike fold of a keyword → keywords index
	dels     map[uint64][]int32       // hash of a keyword and of it minus one letter → keywords indexes
	delBits  []uint64                 // bit filter over dels' keys: most probes end here
	guard    map[string]struct{}      // dictionary words that are near misses of a keyword: never typos
	ac       automaton
	minLen   int // shortest typo-eligible keyword
	maxLen   int // longest typo-eligible keyword
	editLen  int // shortest keyword for typos that drop or change a letter
}

var (
	builtinOnce  sync.Once
	builtinIndex *index
)

// builtin returns the shared index of the built-in brands.
func builtin() *index {
	builtinOnce.Do(func() { builtinIndex = buildIndex(builtinBrands, nil, DefaultMinTypoLength, true) })
	return builtinIndex
}

// mergeBrands returns the built-in brands extended by the user's.
func mergeBrands(extra []BrandConfig) []Brand {
	out := make([]Brand, len(builtinBrands))
	copy(out, builtinBrands)
	for _, bc := range extra {
		i := 0
		for i < len(out) && !strings.EqualFold(out[i].Name, bc.Name) {
			i++
		}
		if i == len(out) {
			out = append(out, Brand{Name: strings.TrimSpace(bc.Name)})
		}
		br := &out[i]
		br.Domains = append(append([]string(nil), br.Domains...), bc.Domains...)
		br.Keywords = append(append([]string(nil), br.Keywords...), bc.Keywords...)
	}
	return out
}

// buildIndex compiles brands. allow lists extra registered domains never to
// flag; editLen is the shortest keyword for typos that drop or change a
// letter; guarded selects whether the dictionary guard applies (the word
// list generator turns it off to find the near misses).
func buildIndex(brands []Brand, allow []string, editLen int, guarded bool) *index {
	ix := &index{
		brands:   brands,
		own:      map[string]int32{},
		suffixes: map[brandSuffix]struct{}{},
		allow:    map[string]struct{}{},
		exact:    map[string]int32{},
		folded:   map[string]int32{},
		dels:     map[uint64][]int32{},
		guard:    map[string]struct{}{},
		editLen:  editLen,
		delBits:  make([]uint64, delFilterBits/64),
		minLen:   64,
	}
	if guarded {
		for _, w := range dictionaryNearMisses {
			ix.guard[w] = struct{}{}
		}
	}
	common := map[string]bool{}
	for _, w := range dictionaryKeywords {
		common[w] = true
	}
	for _, w := range dictionaryTails {
		common["^"+w] = true
	}
	for _, d := range append(append([]string(nil), infrastructure...), allow...) {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		ix.allow[d] = struct{}{} // may itself be a (private) public suffix: edgekey.net
		if r, err := registered(d); err == nil {
			ix.allow[r] = struct{}{}
		}
	}
	for bi := range brands {
		ix.addBrand(int32(bi), common)
	}
	ix.ac = buildAutomaton(ix.keywords)
	ix.skip = map[string]struct{}{}
	for d := range ix.own {
		ix.skip[d] = struct{}{}
	}
	for d := range ix.allow {
		ix.skip[d] = struct{}{}
	}
	return ix
}

func (ix *index) addBrand(bi int32, common map[string]bool) {
	br := &ix.brands[bi]
	var domains []string
	for _, d := range br.Domains {
		r, err := registered(d)
		if err != nil {
			continue
		}
		domains = append(domains, r)
		if _, dup := ix.own[r]; !dup {
			ix.own[r] = bi
		}
	}
	if len(domains) == 0 {
		return
	}
	br.Domains = domains
	words := br.Keywords
	if len(words) == 0 {
		for _, d := range domains {
			words = append(words, d[:strings.IndexByte(d, '.')])
		}
	}
	for _, d := range domains {
		if i := strings.IndexByte(d, '.'); i > 0 {
			ix.suffixes[brandSuffix{bi, d[i+1:]}] = struct{}{}
		}
	}
	for _, w := range words {
		if _, dup := ix.exact[w]; dup || !validKeyword(w) {
			continue
		}
		entry := domains[0]
		for _, d := range domains {
			if strings.HasPrefix(d, w+".") {
				entry = d
				break
			}
		}
		ix.addKeyword(keyword{text: w, brand: bi, domain: entry, common: common[w], wordTail: common["^"+w]})
	}
}

func (ix *index) addKeyword(k keyword) {
	id := int32(len(ix.keywords))
	ix.keywords = append(ix.keywords, k)
	ix.exact[k.text] = id
	if len(k.text) < minTypoLen {
		return
	}
	var buf [2 * 64]byte
	if f := fold(k.text, buf[:0]); true {
		if _, dup := ix.folded[string(f)]; !dup {
			ix.folded[string(f)] = id
		}
	}
	ix.minLen = min(ix.minLen, len(k.text))
	ix.maxLen = max(ix.maxLen, len(k.text))
	var h hashes
	h.compute(k.text)
	seen := make([]uint64, 0, 64) // the deletions' hashes so far: a few dozen, on the stack
	for i := -1; i < len(k.text); i++ {
		v := h.without(i)
		if !slices.Contains(seen, v) {
			seen = append(seen, v)
			ix.dels[v] = append(ix.dels[v], id)
			b := delBit(v)
			ix.delBits[b/64] |= 1 << (b % 64)
		}
	}
}

// fold rewrites s in the expanded form of every ASCII look-alike pair
// (m→rn, w→vv, d→cl, 0→o, 1→l, i→l), so two names that read alike fold
// alike. It appends to dst and returns it.
func fold(s string, dst []byte) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 'm':
			dst = append(dst, 'r', 'n')
		case 'w':
			dst = append(dst, 'v', 'v')
		case 'd':
			dst = append(dst, 'c', 'l')
		case '0':
			dst = append(dst, 'o')
		case '1', 'i':
			dst = append(dst, 'l')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// hashes holds polynomial prefix and suffix hashes of a label of at most 63
// bytes, so the hash of the label with any one byte deleted costs O(1).
type hashes struct {
	n      int
	prefix [65]uint64 // prefix[i] = hash(s[:i])
	suffix [65]uint64 // suffix[i] = hash(s[i:])
	power  [65]uint64 // power[i] = hashBase^i
}

const hashBase = 1000003

// The deletion filter has 2^20 bits (128 KiB), indexed by delBit:
// with a few thousand keys, under 1% of misses reach the map.
const (
	delFilterBits = 1 << 20
	delShift      = 64 - 20
)

// delBit is v's bit in the deletion filter (Fibonacci hashing spreads the
// polynomial hash, whose top bits are zero for short labels).
func delBit(v uint64) uint64 { return (v * 0x9e3779b97f4a7c15) >> delShift }

// mayHaveDel reports whether hash v may be a key of dels.
func (ix *index) mayHaveDel(v uint64) bool {
	b := delBit(v)
	return ix.delBits[b/64]&(1<<(b%64)) != 0
}

func (h *hashes) compute(s string) {
	n := len(s)
	h.n = n
	h.power[0] = 1
	for i := 0; i < n; i++ {
		h.prefix[i+1] = h.prefix[i]*hashBase + uint64(s[i])
		h.power[i+1] = h.power[i] * hashBase
	}
	h.suffix[n] = 0
	for i := n - 1; i >= 0; i-- {
		h.suffix[i] = uint64(s[i])*h.power[n-1-i] + h.suffix[i+1]
	}
}

// without returns the hash of s with byte i deleted (i < 0: s itself).
func (h *hashes) without(i int) uint64 {
	if i < 0 {
		return h.prefix[h.n]
	}
	return h.prefix[i]*h.power[h.n-1-i] + h.suffix[i+1]
}

// automaton is an Aho-Corasick automaton over the keywords, as a dense DFA
// over the label alphabet [a-z0-9-]; other bytes restart it.
type automaton struct {
	next []int32   // next[state*alphabet+symbol]
	out  [][]int32 // keywords ending at each state (including via suffix links)
	ends []bool    // ends[state]: len(out[state]) > 0, for the hot loop
}

const alphabet = 37

var symbols = func() (s [256]int8) {
	for i := range s {
		s[i] = -1
	}
	for c := 'a'; c <= 'z'; c++ {
		s[c] = int8(c - 'a')
	}
	for c := '0'; c <= '9'; c++ {
		s[c] = int8(26 + c - '0')
	}
	s['-'] = 36
	return s
}()

func buildAutomaton(kws []keyword) automaton {
	states := 1 // the root, and at most one state per keyword byte
	for _, k := range kws {
		states += len(k.text)
	}
	a := automaton{next: make([]int32, alphabet, states*alphabet), out: make([][]int32, 1, states)}
	for i := range a.next {
		a.next[i] = -1
	}
	for id, k := range kws {
		state := int32(0)
		for j := 0; j < len(k.text); j++ {
			sym := int32(symbols[k.text[j]])
			if a.next[state*alphabet+sym] < 0 {
				a.next[state*alphabet+sym] = int32(len(a.out))
				a.out = append(a.out, nil)
				for range alphabet {
					a.next = append(a.next, -1)
				}
			}
			state = a.next[state*alphabet+sym]
		}
		a.out[state] = append(a.out[state], int32(id))
	}
	// Breadth-first: fill missing transitions from the suffix link's.
	fail := make([]int32, len(a.out))
	queue := []int32{}
	for sym := int32(0); sym < alphabet; sym++ {
		if t := a.next[sym]; t < 0 {
			a.next[sym] = 0
		} else {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		a.out[s] = append(a.out[s], a.out[fail[s]]...)
		for sym := int32(0); sym < alphabet; sym++ {
			t := a.next[s*alphabet+sym]
			if t < 0 {
				a.next[s*alphabet+sym] = a.next[fail[s]*alphabet+sym]
				continue
			}
			fail[t] = a.next[fail[s]*alphabet+sym]
			queue = append(queue, t)
		}
	}
	a.ends = make([]bool, len(a.out))
	for s, o := range a.out {
		a.ends[s] = len(o) > 0
	}
	return a
}

// infrastructure are CDN, DNS and hosting domains whose names embed
// customers' domains (paypal.com.edgekey.net), and SaaS platforms that
// name customer tenants after them (paypal.zendesk.com); they are never
// flagged.
var infrastructure = []string{
	"akadns.net", "akamaiedge.net", "akamai.net", "akamaihd.net", "akamaized.net", "edgekey.net", "edgesuite.net",
	"akamaitechnologies.com", "akam.net", "cloudfront.net", "fastly.net", "fastlylb.net", "edgecastcdn.net",
	"llnwd.net", "llnw.net", "footprint.net", "cdn77.org", "impervadns.net", "incapdns.net", "stackpathdns.com",
	"b-cdn.net", "kxcdn.com", "cdngc.net", "hwcdn.net", "azioncdn.net", "edgio.net", "awsdns.com", "ultradns.net",
	"dynect.net", "nsone.net", "cloudflare.net", "trafficmanager.net", "azurefd.net", "azureedge.net",
	"googlehosted.com", "ghs.googlehosted.com", "edgekey-staging.net", "akamaiedge-staging.net", "in-addr.arpa",
	"ip6.arpa", "spamhaus.org", "spamcop.net", "sorbs.net", "surbl.org", "uribl.com", "barracudacentral.org",
	"zendesk.com", "service-now.com", "servicenow.com", "myworkday.com", "workday.com", "freshdesk.com", "webex.com",
	"hubspot.com", "box.com", "egnyte.com", "sharefile.com", "smartsheet.com", "statuspage.io", "my.site.com",
	// Edge, analytics and time services whose host names carry their
	// customers' names (adobe.com.ssl.d1.sc.omtrdc.net, amazon.pool.ntp.org).
	"fastly-edge.com", "msedge.net", "spo-msedge.net", "omtrdc.net", "2o7.net", "ntp.org", "akamaitech.net", "akamaistream.net",
	"cdn.cloudflare.net", "edgecastdns.net", "cdnetworks.net", "chinacache.net", "alikunlun.com", "kunlunca.com",
}

// brandSuffix is a brand and a public suffix it registers under.
type brandSuffix struct {
	brand  int32
	suffix string
}

// typoSuffixes are the suffixes under which a typo of any brand is
// reported, besides the brand's own: the ones users type by default.
var typoSuffixes = map[string]struct{}{"com": {}, "net": {}, "org": {}}

// typoSuffix reports whether an edit typo of keyword k under suffix
// imitates the brand: a typosquatter keeps the address the user means to
// type (paypak.com, yandexx.ru), while a name one edit from a brand under a
// suffix the brand does not use is most often a local namesake (icc.re.kr,
// ceti.pl). ASCII look-alikes (paypa1) are deliberate wherever they stand.
func (ix *index) typoSuffix(k int32, suffix string) bool {
	if _, ok := typoSuffixes[suffix]; ok {
		return true
	}
	_, ok := ix.suffixes[brandSuffix{ix.keywords[k].brand, suffix}]
	return ok
}

// brandTLDs are closed brand TLDs (ICANN's "dotBrand" registries) of the
// built-in brands' owners: only the brand registers names under them, so
// a name there impersonates nobody (chime.aws is Amazon's, not Chime's).
var brandTLDs = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, t := range strings.Fields(`aws amazon audible kindle prime google gmail youtube android chrome goog
		microsoft azure bing office windows xbox skype hotmail apple ibm cisco dell samsung sony nike netflix
		visa americanexpress amex citi chase barclays hsbc bmw mini toyota lexus nissan ford fedex ups dhl
		yahoo oracle sap`) {
		m[t] = struct{}{}
	}
	return m
}()
