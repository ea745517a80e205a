package brand

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/brand/permute"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Match describes one impersonation.
type Match struct {
	Brand     string // the brand's name ("PayPal")
	Technique string // one of the permute technique names
	Domain    string // the brand's real domain the name imitates
	Keyword   string // the brand label that was imitated
	Distance  int    // edit distance between the imitating label and the keyword (0 for combos, TLD swaps, subdomains)
}

// match checks f's registered domain against every brand. The checks run
// from the most to the least specific; the first that fires wins.
func (ix *index) match(f *scoring.FQDN) (Match, bool) {
	if !f.Valid || f.Registered == "" {
		return Match{}, false
	}
	return ix.finish(f, ix.matchRegistered(f))
}

// verdict is the outcome of the checks that depend on the registered
// domain alone (and its ICANN flag): a hit, or final (no further check),
// or neither (the subdomain check decides).
type verdict struct {
	hit       bool
	final     bool
	icann     bool
	distance  uint8
	keyword   int32
	technique string
}

// finish turns a registered-domain verdict into the match, running the
// subdomain check when the verdict leaves it open.
func (ix *index) finish(f *scoring.FQDN, v verdict) (Match, bool) {
	if v.hit {
		return ix.hit(v.keyword, v.technique, int(v.distance)), true
	}
	if v.final {
		return Match{}, false
	}
	if k, ok := ix.subdomain(f); ok {
		return ix.hit(k, permute.Subdomain, 0), true
	}
	return Match{}, false
}

// matchRegistered runs every check that depends only on f.Registered and
// f.ICANN (Suffix and TLD follow from Registered): a pure function of
// those two, so the detector may cache it per registered domain.
func (ix *index) matchRegistered(f *scoring.FQDN) verdict {
	none := verdict{icann: f.ICANN}
	final := verdict{icann: f.ICANN, final: true}
	hit := func(k int32, technique string, distance int) verdict {
		return verdict{hit: true, icann: f.ICANN, keyword: k, technique: technique, distance: uint8(distance)}
	}
	if _, ok := ix.skip[f.Registered]; ok {
		return final // a brand's own domain, or allowed
	}
	if f.RestrictedZone() {
		return final // usa.gov, eba.gov.tr: the public cannot register these
	}
	if !f.ICANN && f.Suffix == f.TLD {
		return final // a TLD outside the public suffix list: an internal zone (sharepoint.contoso)
	}
	if !f.ICANN && scoring.UnderZone(f.Suffix, ix.allow) {
		return final // paypal.com.edgekey.net, apple.map.fastly.net: a CDN's name for the brand's own site
	}
	if _, ok := brandTLDs[f.TLD]; ok {
		return final // chime.aws, outlook.cloud.microsoft: a closed brand TLD registers only its owner's names
	}
	label := f.RegisteredLabel()
	if k, ok := ix.exact[label]; ok {
		if !f.ICANN {
			return hit(k, permute.Subdomain, 0) // paypal.github.io: the brand on a hosting platform
		}
		if f.Suffix == f.TLD && swapTLD(f.TLD) {
			return hit(k, permute.TLDSwap, 0)
		}
		return final // brand.<country>: usually the brand's own or a namesake
	}
	if strings.HasPrefix(label, "xn--") {
		if k, ok := ix.homoglyph(label); ok {
			return hit(k, permute.Homoglyph, 1)
		}
	}
	if k, technique, ok := ix.typo(label); ok && (technique == permute.ASCIILookalike || ix.typoSuffix(k, f.Suffix)) {
		return hit(k, technique, 1)
	}
	if k, ok := ix.combo(label); ok {
		return hit(k, permute.Combosquatting, 0)
	}
	return none
}

func (ix *index) hit(k int32, technique string, distance int) Match {
	kw := &ix.keywords[k]
	return Match{Brand: ix.brands[kw.brand].Name, Technique: technique, Domain: kw.domain, Keyword: kw.text, Distance: distance}
}

// homoglyph decodes a punycode label, reduces it to its TR39 skeleton
// without accents, and looks the look-alike fold of that up. It allocates
// (IDN labels are rare).
func (ix *index) homoglyph(label string) (int32, bool) {
	u, err := idna.Punycode.ToUnicode(label)
	if err != nil {
		return 0, false
	}
	skel := norm.NFD.String(confusables.Skeleton(u))
	var b strings.Builder
	for _, r := range skel {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if a, ok := extraConfusables[r]; ok {
			r = a
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return 0, false // a letter with no ASCII look-alike
		}
	}
	if k, ok := ix.exact[s]; ok {
		return k, true
	}
	var buf [2 * 64]byte
	if len(s) > 64 {
		return 0, false
	}
	k, ok := ix.folded[string(fold(s, buf[:0]))]
	return k, ok
}

// extraConfusables are look-alikes the TR39 table does not map to ASCII.
var extraConfusables = map[rune]rune{'ƅ': 'b', 'ь': 'b', 'ꞵ': 'b'}

// typo finds a keyword the label is one typo or look-alike away from.
func (ix *index) typo(label string) (int32, string, bool) {
	n := len(label)
	if n < ix.minLen-1 || n > 63 {
		return 0, "", false
	}
	if n <= 2*ix.maxLen {
		var buf [2 * 64]byte
		if k, ok := ix.folded[string(fold(label, buf[:0]))]; ok && !ix.isWord(label) {
			return k, permute.ASCIILookalike, true
		}
	}
	if n > ix.maxLen+1 {
		return 0, "", false
	}
	var h hashes
	h.compute(label)
	for i := -1; i < n; i++ {
		v := h.without(i)
		if !ix.mayHaveDel(v) {
			continue
		}
		for _, k := range ix.dels[v] {
			if t := ix.typoOf(label, k); t != "" && !ix.isWord(label) {
				return k, t, true
			}
		}
	}
	return 0, "", false
}

// isWord reports whether label is a dictionary word near a keyword, which
// nfr never reports as a typo.
func (ix *index) isWord(label string) bool {
	_, ok := ix.guard[label]
	return ok
}

// typoOf names the typo that turns keyword k into label, when nfr reports
// it: short keywords only by the edits that keep every letter (repetition,
// hyphenation), and no edit of the first letter of a keyword whose rest is a
// word of its own (icloud: hicloud, ucloud and cloud are not typos).
func (ix *index) typoOf(label string, k int32) string {
	kw := &ix.keywords[k]
	t := classify(label, kw.text)
	if t == "" || t == permute.Repetition || t == permute.Hyphenation {
		return t
	}
	if len(kw.text) < ix.editLen {
		return ""
	}
	if kw.wordTail && strings.HasSuffix(label, kw.text[1:]) {
		return ""
	}
	return t
}

// classify names the single typo that turns keyword into label, or returns
// "" when there is none (or it is not one nfr reports).
func classify(label, keyword string) string {
	i := 0
	for i < len(label) && i < len(keyword) && label[i] == keyword[i] {
		i++
	}
	switch len(label) - len(keyword) {
	case -1:
		if label[i:] == keyword[i+1:] {
			return permute.Omission
		}
	case 1:
		if label[i+1:] != keyword[i:] {
			return ""
		}
		c := label[i]
		switch {
		case c == '-':
			if i > 0 && i < len(label)-1 {
				return permute.Hyphenation
			}
		case i > 0 && label[i-1] == c || i+1 < len(label) && label[i+1] == c:
			return permute.Repetition
		default:
			return permute.Insertion
		}
	case 0:
		if i == len(label) {
			return ""
		}
		if label[i+1:] == keyword[i+1:] {
			return substitution(keyword[i], label[i])
		}
		if i+1 < len(label) && label[i] == keyword[i+1] && label[i+1] == keyword[i] && label[i+2:] == keyword[i+2:] {
			return permute.Transposition
		}
	}
	return ""
}

// substitution names the typo that types got instead of want.
func substitution(want, got byte) string {
	switch {
	case permute.IsVowel(want) && permute.IsVowel(got):
		return permute.VowelSwap
	case permute.IsKeyboardNeighbour(want, got):
		return permute.Replacement
	case permute.IsBitFlip(want, got) && got != '-':
		return permute.Bitsquatting
	}
	return ""
}

// combo finds a keyword inside the label combined with other words:
// a token of its own (paypal-login), or embedded among lure words
// (securepaypal, paypal2fa).
func (ix *index) combo(label string) (int32, bool) {
	a := &ix.ac
	state := int32(0)
	for i := 0; i < len(label); i++ {
		sym := symbols[label[i]]
		if sym < 0 {
			state = 0
			continue
		}
		state = a.next[state*alphabet+int32(sym)]
		for _, k := range a.out[state] {
			if ix.comboAt(label, i+1-len(ix.keywords[k].text), i+1, k) {
				return k, true
			}
		}
	}
	return 0, false
}

// comboAt decides whether keyword k found at label[start:end] makes label
// a combosquat: everything else in the label must be lure words, digits or
// hyphens (paypal-login, securepaypal, paypal2fa; not applebees or
// youtube-mp3). Runs only when a keyword occurs, so it may be slower.
func (ix *index) comboAt(label string, start, end int, k int32) bool {
	kw := &ix.keywords[k]
	token := (start == 0 || label[start-1] == '-') && (end == len(label) || label[end] == '-')
	if !token && len(kw.text) < minEmbeddedLen {
		return false
	}
	return lures(label[:start]) && lures(label[end:])
}

// lures reports whether s is made of lure words, digits and hyphens only.
func lures(s string) bool {
	if s == "" {
		return true
	}
	var reach [64]bool
	if len(s) >= len(reach) {
		return false
	}
	reach[0] = true
	for p := 0; p < len(s); p++ {
		if !reach[p] {
			continue
		}
		if c := s[p]; c == '-' || '0' <= c && c <= '9' {
			reach[p+1] = true
		}
		for l := 2; l <= maxLureLen && p+l <= len(s); l++ {
			if _, ok := lureWords[s[p:p+l]]; ok {
				reach[p+l] = true
			}
		}
	}
	return reach[len(s)]
}

// subdomain finds a brand label left of the registered domain: the brand's
// own domain spelled out (paypal.com.evil.tk, apple.com-verify.info), a distinctive keyword on its
// own (paypal.evil.tk) or combined with lure words (paypal-login.evil.tk).
func (ix *index) subdomain(f *scoring.FQDN) (int32, bool) {
	if f.Subdomain == "" || !ix.mentionsKeyword(f.Subdomain) {
		return 0, false
	}
	pos := 0
	for _, l := range f.Labels() {
		if pos >= len(f.Subdomain) {
			break
		}
		if k, ok := ix.combo(l); ok {
			return k, true // paypal-login.evil.tk
		}
		if k, ok := ix.exact[l]; ok {
			kw := &ix.keywords[k]
			if !kw.common && len(kw.text) >= minStrongLen {
				return k, true
			}
			rest := f.Name[pos:]
			for _, d := range ix.brands[kw.brand].Domains {
				if len(rest) > len(d) && (rest[len(d)] == '.' || rest[len(d)] == '-') && rest[:len(d)] == d {
					return k, true
				}
			}
		}
		pos += len(l) + 1
	}
	return 0, false
}

// mentionsKeyword reports whether some keyword occurs inside one of the
// dot-separated labels of s: one pass of the automaton, no map probe. Both
// subdomain checks (a combo within a label, a label equal to a keyword)
// need such an occurrence, so most subdomains stop here.
func (ix *index) mentionsKeyword(s string) bool {
	next, ends := ix.ac.next, ix.ac.ends // locals: the loop loads nothing else
	state := int32(0)
	for i := 0; i < len(s); i++ {
		sym := symbols[s[i]]
		if sym < 0 {
			state = 0
			continue
		}
		state = next[state*alphabet+int32(sym)]
		if ends[state] {
			return true
		}
	}
	return false
}

// swapTLD reports whether a brand's name under TLD tld is a TLD swap worth
// reporting: any generic TLD, and the country codes sold as generic or
// typed by mistake for com. Other country codes, and second-level suffixes
// (com.br, co.uk), are left alone: global brands register their name under
// most of them, and namesakes abound.
func swapTLD(tld string) bool {
	if len(tld) > 2 {
		return true
	}
	switch tld {
	case "co", "cm", "om", "cc", "tk", "ml", "ga", "cf", "gq", "ws", "pw", "su", "me", "io", "ly", "to", "ai", "us", "la":
		return true
	}
	return false
}

// lureWords are words phishers put next to a brand.
var lureWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`login logon log signin sign in secure security account accounts acct verify
		verification verified update updates support service services help helpdesk desk customer customers care online
		web webmail mail auth authentication id confirm confirmation billing bill payment payments pay wallet bank banking
		app apps my your official team alert alerts notice center centre portal access recovery recover unlock unlocked
		limited restore resolution client member members info check validation validate safe safety protect
		protection ssl http https www com net org live us uk usa store shop gift giftcard card cards promo reward rewards
		claim bonus free prize refund refunds invoice dispute case ticket delivery tracking track parcel package
		shipping post express mobile connect session token sso mfa otp code pass password reset form doc docs document
		file files share drive cloud office desktop download install setup reset manage management settings profile
		activate activation approve review status notification notifications message messages inbox contact chat
		assistance admin api cdn 2fa home now go get gov tax irs sec hub pro plus prime vip
		airdrop wallets connect sync dapp dapps nft token tokens swap stake staking mint claims`) {
		m[w] = struct{}{}
	}
	for _, w := range permute.LureWords {
		m[w] = struct{}{}
	}
	return m
}()

var maxLureLen = func() int {
	n := 0
	for w := range lureWords {
		n = max(n, len(w))
	}
	return n
}()
