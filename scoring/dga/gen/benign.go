package gen

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanWords folds a word list to domain-name form: lower case, accents
// removed (é -> e, ß -> ss; lines that are not UTF-8 are read as Latin-1),
// only words then made of a-z kept (no possessives), at least minLen long,
// duplicates removed. The result is sorted.
func CleanWords(lines []string, minLen int) []string {
	var out []string
	for _, w := range lines {
		w = Fold(strings.TrimSpace(w))
		if len(w) < minLen || !isLetters(w) {
			continue
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Fold lower-cases s and writes its Latin letters without diacritics.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		r := make([]rune, len(s))
		for i := 0; i < len(s); i++ {
			r[i] = rune(s[i]) // Latin-1
		}
		s = string(r)
	}
	s = norm.NFD.String(strings.ToLower(s))
	var sb strings.Builder
	for _, c := range s {
		switch {
		case c < utf8.RuneSelf:
			sb.WriteRune(c)
		case unicode.Is(unicode.Mn, c):
		default:
			if f, ok := foldSpecial[c]; ok {
				sb.WriteString(f)
			} else {
				sb.WriteRune(c)
			}
		}
	}
	return sb.String()
}

// foldSpecial spells letters that do not decompose, and Cyrillic
// (Russian transliteration as domain names commonly write it).
var foldSpecial = map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya"}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// webAffixes are words sites commonly add to a name.
var webAffixes = []string{"online", "shop", "web", "net", "group", "tech", "store", "blog", "news",
	"media", "world", "hub", "app", "club", "house", "design", "studio", "center", "direct",
	"plus", "pro", "info", "site", "link", "zone", "land", "city", "mail", "soft", "data",
	"travel", "hotel", "games", "tv", "radio", "live", "cloud", "host", "market", "trade"}

var webPrefixes = []string{"my", "the", "get", "go", "i", "e", "best", "top", "buy", "free",
	"all", "new", "one", "we", "your", "our", "pro", "smart", "easy", "just"}

// BenignLabel returns a benign-looking second-level label: a dictionary
// word, a compound of words, a word with a web affix or digits, an
// abbreviation, or a coined brand-like word. Output is determined by seed
// and i.
func BenignLabel(seed uint64, i int, words []string) string {
	r := newRand(seed, 0, i, 11)
	switch k := r.IntN(20); {
	case k < 5:
		return pickWord(r, words, 3, 14)
	case k < 10:
		return compound(r, words)
	case k < 12:
		if r.IntN(2) == 0 {
			return webPrefixes[r.IntN(len(webPrefixes))] + pickWord(r, words, 3, 10)
		}
		return pickWord(r, words, 3, 10) + webAffixes[r.IntN(len(webAffixes))]
	case k < 14:
		return withDigits(r, words)
	case k < 16:
		return abbreviation(r, words)
	case k < 18:
		return coined(r, words)
	default:
		return withHyphen(r, words)
	}
}

// compound joins two or three words, shorter words being likelier.
func compound(r *rand.Rand, words []string) string {
	n := 2
	if r.IntN(4) == 0 {
		n = 3
	}
	var sb strings.Builder
	for k := 0; k < n; k++ {
		sb.WriteString(pickWord(r, words, 2, 3+r.IntN(8)))
	}
	return sb.String()
}

func withDigits(r *rand.Rand, words []string) string {
	w := pickWord(r, words, 3, 10)
	var d string
	switch r.IntN(4) {
	case 0:
		d = strconv.Itoa(r.IntN(10))
	case 1:
		d = strconv.Itoa(r.IntN(100))
	case 2:
		d = strconv.Itoa(1990 + r.IntN(40))
	default:
		d = strconv.Itoa(r.IntN(100000))
	}
	if r.IntN(4) == 0 {
		return d + w
	}
	return w + d
}

// abbreviation is a few initials, alone or before a word ("bbc", "ccieuniversity").
func abbreviation(r *rand.Rand, words []string) string {
	n := 2 + r.IntN(3)
	b := make([]byte, n)
	for k := range b {
		b[k] = 'a' + byte(r.IntN(26))
	}
	switch r.IntN(4) {
	case 0:
		return string(b)
	case 3:
		// A short name mixing letters and digits: short names are all
		// taken, so short random-looking names are established ones.
		const set = "abcdefghijklmnopqrstuvwxyz0123456789"
		for k := range b {
			b[k] = set[r.IntN(len(set))]
		}
		return string(b)
	case 1:
		return string(b) + pickWord(r, words, 3, 9)
	default:
		return string(b) + strconv.Itoa(r.IntN(1000))
	}
}

// coined derives a brand-like word: a truncated word, a dropped vowel, a
// trendy ending.
func coined(r *rand.Rand, words []string) string {
	w := pickWord(r, words, 4, 10)
	switch r.IntN(4) {
	case 0:
		return w[:2+r.IntN(len(w)-2)] + []string{"ify", "ly", "io", "ix", "er", "oo", "a", "o", "y"}[r.IntN(9)]
	case 1:
		if i := strings.LastIndexAny(w, "aeiou"); i > 0 {
			return w[:i] + w[i+1:]
		}
		return w
	case 2:
		return w[:2+r.IntN(len(w)-2)] + pickWord(r, words, 3, 6)
	default:
		return w + w[len(w)-1:] + "y"
	}
}

func withHyphen(r *rand.Rand, words []string) string {
	a := pickWord(r, words, 2, 9)
	b := pickWord(r, words, 2, 9)
	if r.IntN(3) == 0 {
		b = webAffixes[r.IntN(len(webAffixes))]
	}
	return a + "-" + b
}

// Pinyin initials and finals: Mandarin syllables in romanised form, the
// stuff of very many Chinese domain names (haoyisheng, dianxin).
var (
	pinyinInitials = []string{"", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
		"zh", "ch", "sh", "r", "z", "c", "s", "y", "w"}
	pinyinFinals = []string{"a", "o", "e", "i", "u", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng",
		"ong", "ia", "ie", "iao", "iu", "ian", "in", "iang", "ing", "iong", "ua", "uo", "uai", "ui",
		"uan", "un", "uang"}
)

// PinyinLabel returns 2..4 Mandarin syllables, sometimes with digits.
func PinyinLabel(seed uint64, i int) string {
	r := newRand(seed, 1, i, 12)
	var sb strings.Builder
	n := 2 + r.IntN(3)
	for k := 0; k < n; k++ {
		sb.WriteString(pinyinInitials[r.IntN(len(pinyinInitials))])
		sb.WriteString(pinyinFinals[r.IntN(len(pinyinFinals))])
	}
	if r.IntN(6) == 0 {
		sb.WriteString(strconv.Itoa(r.IntN(1000)))
	}
	return sb.String()
}

// Japanese syllables in Hepburn romanisation.
var romaji = []string{"a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se",
	"so", "ta", "chi", "tsu", "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho",
	"ma", "mi", "mu", "me", "mo", "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "n", "ga",
	"gi", "gu", "ge", "go", "za", "ji", "zu", "ze", "zo", "da", "de", "do", "ba", "bi", "bu", "be",
	"bo", "pa", "pi", "pu", "pe", "po", "kyo", "sho", "ryu", "kyu", "cho", "ou", "ei"}

// RomajiLabel returns 2..5 Japanese syllables.
func RomajiLabel(seed uint64, i int) string {
	r := newRand(seed, 2, i, 13)
	var sb strings.Builder
	n := 2 + r.IntN(4)
	for k := 0; k < n; k++ {
		sb.WriteString(romaji[r.IntN(len(romaji))])
	}
	return sb.String()
}

// techSuffixes are abbreviations infrastructure names are built from.
var techSuffixes = []string{"cdn", "img", "srv", "api", "ads", "trk", "svc", "lb", "ssl", "dns",
	"net", "tv", "app", "static", "media", "stat", "js", "cloud", "sync", "tag", "px", "ad", "mx",
	"web", "sys", "tech", "soft", "data", "box", "hub", "lab", "ops", "ocsp", "ca", "msn", "vpn"}

// TechLabel returns an infrastructure-style name: a word with a technical
// abbreviation ("vimeocdn", "imguol", "sophosupd"). Vowel-less skeletons
// ("crwdcntrl") are left out on purpose: they look like random consonants,
// and teaching the model they are benign costs more DGA than it saves.
func TechLabel(seed uint64, i int, words []string) string {
	r := newRand(seed, 3, i, 14)
	w := pickWord(r, words, 3, 9)
	suffix := techSuffixes[r.IntN(len(techSuffixes))]
	if r.IntN(3) == 0 {
		return suffix + w
	}
	return w + suffix
}

// NativeCompound joins one to three words of one language's list, shorter
// words being likelier, sometimes with digits ("kuzovnoy", "tamquoctutien").
func NativeCompound(seed uint64, i int, words []string) string {
	r := newRand(seed, 4, i, 15)
	var sb strings.Builder
	n := 1 + r.IntN(3)
	for k := 0; k < n; k++ {
		sb.WriteString(pickWord(r, words, 2, 3+r.IntN(9)))
	}
	if r.IntN(8) == 0 {
		sb.WriteString(strconv.Itoa(r.IntN(100)))
	}
	return sb.String()
}
