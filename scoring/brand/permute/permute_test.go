package permute

import (
	"strings"
	"testing"
)

func TestKeyboardNeighbours(t *testing.T) {
	for c, want := range map[byte]string{'q': "12wa", 'w': "23qeas", 'a': "qwsz", 'p': "0ol", 'm': "njk", 'z': "asx"} {
		got := KeyboardNeighbours(c)
		if len(got) != len(want) {
			t.Errorf("%c: %q, want the letters of %q", c, got, want)
		}
		for i := 0; i < len(want); i++ {
			if !IsKeyboardNeighbour(c, want[i]) || !IsKeyboardNeighbour(want[i], c) {
				t.Errorf("%c and %c should be neighbours (both ways)", c, want[i])
			}
		}
	}
	if IsKeyboardNeighbour('a', 'p') || !IsBitFlip('a', 'c') || IsBitFlip('a', 'd') || !IsVowel('u') || IsVowel('y') {
		t.Error("neighbour, bit-flip or vowel predicates are wrong")
	}
}

func TestGenerate(t *testing.T) {
	perms := Generate("paypal.com")
	by := map[string]map[string]bool{}
	for _, p := range perms {
		if p.Domain == "paypal.com" {
			t.Fatal("the original domain was generated")
		}
		if by[p.Technique] == nil {
			by[p.Technique] = map[string]bool{}
		}
		if by[p.Technique][p.Domain] {
			t.Fatalf("duplicate %s", p.Domain)
		}
		by[p.Technique][p.Domain] = true
	}
	want := map[string][]string{
		Transposition:  {"apypal.com", "paypla.com"},
		Omission:       {"aypal.com", "paypa.com"},
		Repetition:     {"ppaypal.com", "paypall.com"},
		Replacement:    {"oaypal.com", "paypak.com"},
		Insertion:      {"poaypal.com", "paypalk.com"},
		Bitsquatting:   {"qaypal.com", "paypam.com"},
		Hyphenation:    {"p-aypal.com", "paypa-l.com"},
		VowelSwap:      {"peypal.com", "paypol.com"},
		ASCIILookalike: {"paypa1.com", "paypai.com"},
		Homoglyph:      {"pаypal.com", "раураӏ.com"},
		TLDSwap:        {"paypal.xyz", "paypal.co"},
		Combosquatting: {"paypal-login.com", "securepaypal.net"},
		Subdomain:      {"paypal.com.account-verify.tk", "login.paypal.com.secure-login.xyz"},
	}
	for _, tq := range Techniques {
		for _, d := range want[tq] {
			if !by[tq][d] {
				t.Errorf("%s: %s not generated", tq, d)
			}
		}
	}
	if len(by) != len(Techniques) {
		t.Fatalf("techniques generated: %d, want %d", len(by), len(Techniques))
	}
	for d := range by[Homoglyph] {
		if !registrable(strings.TrimSuffix(d, ".com")) {
			t.Errorf("homoglyph %s is not registrable", d)
		}
	}
	if registrable("ϲ") {
		t.Error("Greek lunate sigma is mapped by IDNA and must not be used")
	}
}
