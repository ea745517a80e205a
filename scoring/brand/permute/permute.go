// Package permute generates look-alike permutations of a domain name, one
// technique at a time (typos, homoglyphs, TLD swaps, combos, subdomains), the
// way a typosquatter would. It is nfr's own generator, written from public
// descriptions of the techniques (dnstwist's documentation, Unicode TR39),
// and it names the techniques the brand detector reports. It is used by
// tests and tools; it must not be used on a hot path (it allocates freely)
// and it does no I/O.
package permute

import (
	"strings"

	"golang.org/x/net/idna"
)

// Technique names, as reported in brand evidence (Evidence.Rule).
const (
	Transposition  = "transposition"   // swap two adjacent letters: paypla
	Omission       = "omission"        // drop one letter: paypl
	Repetition     = "repetition"      // double one letter: paypall
	Replacement    = "replacement"     // a keyboard neighbour for a letter: paypak
	Insertion      = "insertion"       // a keyboard neighbour added next to a letter: paypakl
	Bitsquatting   = "bitsquatting"    // one bit flipped in one letter: paypcl
	Hyphenation    = "hyphenation"     // a hyphen inside the name: pay-pal
	VowelSwap      = "vowel-swap"      // one vowel for another: paypel
	ASCIILookalike = "ascii-lookalike" // rn/m, vv/w, 0/o, 1/l, i/l, cl/d: paypa1
	Homoglyph      = "homoglyph"       // Unicode confusables (TR39) or accented letters: pаypal
	TLDSwap        = "tld-swap"        // the brand's name under another suffix: paypal.xyz
	Subdomain      = "subdomain"       // the brand as a label on another domain: paypal.com.evil.tk
	Combosquatting = "combosquatting"  // the brand combined with words: paypal-login.com
)

// Techniques lists every technique, in the order the detector prefers them.
var Techniques = []string{
	TLDSwap, Homoglyph, ASCIILookalike, Transposition, Omission, Repetition,
	Replacement, Insertion, Bitsquatting, Hyphenation, VowelSwap, Combosquatting, Subdomain,
}

// Permutation is one generated look-alike.
type Permutation struct {
	Domain    string // Unicode for homoglyphs, ASCII otherwise
	Technique string
}

// keyboardRows is a QWERTY keyboard; each row starts under the gap between
// the first two keys of the row above, so a key's neighbours above are the
// keys at the same and the next column, and below at the previous and same.
var keyboardRows = [...]string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"}

var neighbours = buildNeighbours()

func buildNeighbours() (n [256]string) {
	at := func(row, col int) string {
		if row < 0 || row >= len(keyboardRows) || col < 0 || col >= len(keyboardRows[row]) {
			return ""
		}
		return keyboardRows[row][col : col+1]
	}
	for r, row := range keyboardRows {
		for c := 0; c < len(row); c++ {
			n[row[c]] = at(r, c-1) + at(r, c+1) + at(r-1, c) + at(r-1, c+1) + at(r+1, c-1) + at(r+1, c)
		}
	}
	return n
}

// KeyboardNeighbours returns the keys next to c on a QWERTY keyboard ("" for
// keys it does not know).
func KeyboardNeighbours(c byte) string { return neighbours[c] }

// IsKeyboardNeighbour reports whether a and b are adjacent keys.
func IsKeyboardNeighbour(a, b byte) bool { return strings.IndexByte(neighbours[a], b) >= 0 }

// IsVowel reports whether c is one of aeiou.
func IsVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// IsBitFlip reports whether a and b differ in exactly one bit.
func IsBitFlip(a, b byte) bool {
	x := a ^ b
	return x != 0 && x&(x-1) == 0
}

// LookalikePairs are the ASCII look-alikes: each pair's sides read alike.
var LookalikePairs = [][2]string{{"m", "rn"}, {"w", "vv"}, {"o", "0"}, {"l", "1"}, {"i", "1"}, {"l", "i"}, {"d", "cl"}}

// homoglyphs are Unicode letters that read as an ASCII letter: Cyrillic,
// Greek and Armenian confusables (Unicode TR39) and accented forms.
var homoglyphs = map[byte][]string{
	'a': {"а", "ɑ", "à", "á", "â", "ã", "ä", "å", "ą"},
	'b': {"ḃ", "ḅ", "ƅ"},
	'c': {"с", "ϲ", "ç", "ć", "ċ"},
	'd': {"ԁ", "ď", "ḋ"},
	'e': {"е", "è", "é", "ê", "ë", "ē", "ė", "ę"},
	'f': {"ḟ"},
	'g': {"ɡ", "ġ", "ğ", "ģ"},
	'h': {"һ", "ḣ", "ĥ"},
	'i': {"і", "í", "ì", "î", "ï", "ı"},
	'j': {"ј", "ĵ"},
	'k': {"ḳ", "ķ"},
	'l': {"ӏ", "ĺ", "ļ", "ḷ"},
	'm': {"ṁ", "ḿ"},
	'n': {"ո", "ñ", "ń", "ņ"},
	'o': {"о", "ο", "ò", "ó", "ô", "õ", "ö", "օ"},
	'p': {"р", "ṗ"},
	'q': {"ԛ"},
	'r': {"ŕ", "ř", "ṙ"},
	's': {"ѕ", "ś", "ş", "š"},
	't': {"ţ", "ť", "ṫ"},
	'u': {"ս", "ù", "ú", "û", "ü"},
	'v': {"ν", "ѵ"},
	'w': {"ԝ", "ẁ", "ẃ", "ŵ"},
	'x': {"х"},
	'y': {"у", "ý", "ÿ"},
	'z': {"ź", "ż", "ž"},
}

// SwapTLDs are the suffixes TLD swaps use.
var SwapTLDs = []string{"com", "net", "org", "co", "info", "biz", "xyz", "top", "online", "site",
	"shop", "app", "io", "me", "us", "tk", "ml", "cc", "cm", "support", "live", "ga", "ws"}

// LureWords are words phishers combine with a brand (paypal-login).
var LureWords = []string{"login", "secure", "support", "verify", "account", "signin", "update",
	"service", "help", "billing", "wallet", "online", "my", "auth", "confirm", "security", "id"}

// subdomainHosts are the registered domains subdomain permutations hang off.
var subdomainHosts = []string{"account-verify.tk", "secure-login.xyz", "signin-update.top"}

// Generate returns the permutations of domain (a registered domain such as
// "paypal.com") by every technique in Techniques, without duplicates and
// without domain itself. Typos change the leftmost label only.
func Generate(domain string) []Permutation {
	label, suffix, ok := strings.Cut(domain, ".")
	if !ok {
		return nil
	}
	g := generator{label: label, suffix: suffix, seen: map[string]bool{domain: true}}
	g.typos()
	g.lookalikes()
	g.homoglyphs()
	g.tldSwaps()
	g.combos()
	g.subdomains(domain)
	return g.out
}

type generator struct {
	label, suffix string
	seen          map[string]bool
	out           []Permutation
}

// addLabel records a permutation of the label under the original suffix.
func (g *generator) addLabel(label, technique string) {
	if label == "" || label[0] == '-' || label[len(label)-1] == '-' || strings.Contains(label, "--") {
		return
	}
	g.add(label+"."+g.suffix, technique)
}

func (g *generator) add(domain, technique string) {
	if g.seen[domain] {
		return
	}
	g.seen[domain] = true
	g.out = append(g.out, Permutation{Domain: domain, Technique: technique})
}

func (g *generator) typos() {
	l := g.label
	for i := 0; i < len(l); i++ {
		c := l[i]
		if i+1 < len(l) && c != l[i+1] {
			g.addLabel(l[:i]+l[i+1:i+2]+l[i:i+1]+l[i+2:], Transposition)
		}
		g.addLabel(l[:i]+l[i+1:], Omission)
		if isLetter(c) {
			g.addLabel(l[:i+1]+l[i:], Repetition)
		}
		if IsVowel(c) {
			for _, v := range []byte("aeiou") {
				if v != c {
					g.addLabel(l[:i]+string(v)+l[i+1:], VowelSwap)
				}
			}
		}
		for _, n := range []byte(KeyboardNeighbours(c)) {
			g.addLabel(l[:i]+string(n)+l[i+1:], Replacement)
			g.addLabel(l[:i]+string(n)+l[i:], Insertion)
			g.addLabel(l[:i+1]+string(n)+l[i+1:], Insertion)
		}
		for bit := 0; bit < 8; bit++ {
			if f := c ^ 1<<bit; isLetter(f) || isDigit(f) {
				g.addLabel(l[:i]+string(f)+l[i+1:], Bitsquatting)
			}
		}
		if i > 0 {
			g.addLabel(l[:i]+"-"+l[i:], Hyphenation)
		}
	}
}

func (g *generator) lookalikes() {
	for _, p := range LookalikePairs {
		for _, from := range p {
			to := p[0]
			if from == p[0] {
				to = p[1]
			}
			for i := 0; ; {
				j := strings.Index(g.label[i:], from)
				if j < 0 {
					break
				}
				j += i
				g.addLabel(g.label[:j]+to+g.label[j+len(from):], ASCIILookalike)
				i = j + 1
			}
		}
	}
}

// homoglyphs replaces one letter at a time with each Unicode look-alike,
// and every letter that has a Cyrillic twin at once.
func (g *generator) homoglyphs() {
	l := g.label
	var all strings.Builder
	for i := 0; i < len(l); i++ {
		alts := homoglyphs[l[i]]
		for _, h := range alts {
			if registrable(h) {
				g.addLabel(l[:i]+h+l[i+1:], Homoglyph)
			}
		}
		if len(alts) > 0 {
			all.WriteString(alts[0])
		} else {
			all.WriteByte(l[i])
		}
	}
	g.addLabel(all.String(), Homoglyph)
}

// registrable reports whether IDNA keeps s as it is: some look-alikes are
// mapped to another letter on lookup (Greek ϲ becomes σ), so no one can
// register a name with them.
func registrable(s string) bool {
	a, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return false
	}
	u, err := idna.Lookup.ToUnicode(a)
	return err == nil && u == s
}

func (g *generator) tldSwaps() {
	for _, t := range SwapTLDs {
		if t != g.suffix {
			g.add(g.label+"."+t, TLDSwap)
		}
	}
}

func (g *generator) combos() {
	for _, w := range LureWords {
		g.add(g.label+"-"+w+".com", Combosquatting)
		g.add(w+"-"+g.label+".com", Combosquatting)
		g.add(g.label+w+".com", Combosquatting)
		g.add(w+g.label+".net", Combosquatting)
	}
}

func (g *generator) subdomains(domain string) {
	for _, h := range subdomainHosts {
		g.add(domain+"."+h, Subdomain)
		g.add("login."+domain+"."+h, Subdomain)
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
