package gen

import "strings"

// Kinds the per-host evaluation adds to Families (they are not used to
// train the model, whose training set Families fixes).
const (
	// Short families draw 4-6 random characters under free or cheap
	// country-code TLDs, as some families (and Freenom-era campaigns) do:
	// too short for character statistics to tell from a real name.
	Short Kind = "short"
	// ManyTLD families try each label under several sibling TLDs drawn
	// from a long rotation.
	ManyTLD Kind = "many-tld"
)

// ShortTLDs are the TLDs of the short family.
var ShortTLDs = []string{"cf", "tk", "ga", "ml", "gq", "pw", "top", "cc"}

// ManyTLDs is the many-tld family's rotation.
var ManyTLDs = []string{"com", "net", "org", "info", "biz", "ru", "cn", "in", "cc", "su", "top", "xyz",
	"de", "fr", "nl", "eu", "co", "me", "io", "us", "uk", "pl", "es", "it", "ws", "tv", "mobi",
	"name", "pro", "site", "online", "club", "shop", "space", "website", "tech", "store", "fun", "icu", "kz"}

// HostFamily is a generator for the per-host evaluation: a name family and
// how it builds a whole domain name.
type HostFamily struct {
	Name string
	Kind Kind
	// Domain returns the i-th domain name for day, seeded by seed.
	Domain func(seed uint64, day, i int) string
}

// HostFamilies returns every Families generator (wordlist ones over words)
// and the short, many-TLD and verb-noun generators, in a stable order.
func HostFamilies(words []string) []HostFamily {
	var out []HostFamily
	for _, f := range Families() {
		f := f
		out = append(out, HostFamily{f.Name, f.Kind, func(seed uint64, day, i int) string {
			return Domain(f, seed, day, i, words)
		}})
	}
	return append(out,
		HostFamily{"short-alnum", Short, shortDomain},
		HostFamily{"short-pronounceable", Short, shortSyllables},
		HostFamily{"sibling-tlds", ManyTLD, siblingTLDs},
		HostFamily{"verb-noun", Wordlist, verbNoun},
	)
}

// shortDomain is 4-6 random letters and digits under a ShortTLD.
func shortDomain(seed uint64, day, i int) string {
	r := newRand(seed, day, i, 11)
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 4+r.IntN(3))
	for k := range b {
		b[k] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b) + "." + ShortTLDs[r.IntN(len(ShortTLDs))]
}

// shortSyllables is two or three consonant-vowel pairs under a ShortTLD.
func shortSyllables(seed uint64, day, i int) string {
	r := newRand(seed, day, i, 12)
	const consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
	var sb strings.Builder
	for k := 2 + r.IntN(2); k > 0; k-- {
		sb.WriteByte(consonants[r.IntN(len(consonants))])
		sb.WriteByte(vowels[r.IntN(len(vowels))])
	}
	return sb.String() + "." + ShortTLDs[r.IntN(len(ShortTLDs))]
}

// siblingTLDs tries each 7-12 letter label under three TLDs of the long
// rotation: names i, i+1, i+2 share a label.
func siblingTLDs(seed uint64, day, i int) string {
	r := newRand(seed, day, i/3, 13)
	b := make([]byte, 7+r.IntN(6))
	for k := range b {
		b[k] = byte('a' + r.IntN(26))
	}
	t := r.IntN(len(ManyTLDs))
	return string(b) + "." + ManyTLDs[(t+i%3*7)%len(ManyTLDs)]
}

// verbNoun joins a verb and a noun of the package's own lists, .net or
// .com: the shape of word-pair families that read like product names.
func verbNoun(seed uint64, day, i int) string {
	r := newRand(seed, day, i, 14)
	return ownVerbs[r.IntN(len(ownVerbs))] + ownNouns[r.IntN(len(ownNouns))] + "." + []string{"com", "net"}[r.IntN(2)]
}

// OwnWords are common English words written for nfr's tests and
// evaluation (not taken from any word list or family).
var OwnWords = append(append([]string{
	"about", "above", "across", "after", "again", "almost", "along", "always", "among", "around",
	"before", "behind", "below", "beside", "better", "between", "beyond", "during", "either",
	"enough", "every", "first", "follow", "former", "further", "great", "happen", "however",
	"inside", "instead", "large", "later", "little", "maybe", "might", "never", "often", "other",
	"outside", "perhaps", "quite", "rather", "really", "should", "since", "small", "still",
	"there", "these", "thing", "think", "those", "though", "through", "today", "together",
	"under", "until", "usual", "where", "whether", "which", "while", "within", "without", "would",
}, ownVerbs...), ownNouns...)

var ownVerbs = []string{
	"build", "carry", "catch", "change", "choose", "climb", "close", "count", "cover", "cross",
	"drive", "enjoy", "enter", "explain", "fight", "finish", "gather", "guess", "handle", "help",
	"imagine", "increase", "join", "keep", "laugh", "learn", "leave", "listen", "march", "measure",
	"mention", "move", "notice", "offer", "order", "paint", "place", "plant", "prepare", "press",
	"protect", "provide", "reach", "remember", "repeat", "return", "search", "share", "shine",
	"shout", "smile", "speak", "spend", "stand", "start", "study", "travel", "trust", "visit",
	"wander", "watch", "whisper", "wonder", "write",
}

var ownNouns = []string{
	"anchor", "answer", "apple", "autumn", "bakery", "basket", "beach", "bottle", "bridge",
	"button", "candle", "canyon", "castle", "cherry", "circle", "cloud", "coffee", "corner",
	"cotton", "daughter", "desert", "dinner", "doctor", "dragon", "engine", "family", "farmer",
	"feather", "forest", "garden", "glass", "harbor", "island", "journey", "jungle", "kettle",
	"kitchen", "ladder", "lemon", "letter", "market", "meadow", "mirror", "morning", "mountain",
	"needle", "number", "ocean", "orange", "palace", "pencil", "pepper", "planet", "pocket",
	"rabbit", "river", "saddle", "season", "shadow", "silver", "spring", "station", "stone",
	"summer", "table", "thunder", "ticket", "timber", "tower", "valley", "village", "window",
	"winter", "yellow",
}
