package intel

import (
	"bufio"
	_ "embed"
	"errors"
	"strings"
	"testing"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel/internal/poptable"
)

func fqdn(name string) *scoring.FQDN {
	var f scoring.FQDN
	f.Parse(name)
	return &f
}

func TestBuiltinPriorRanksPopularDomains(t *testing.T) {
	ix := Builtin()
	if n := ix.PopularityEntries(); n < 90_000 {
		t.Fatalf("built-in prior ranks %d domains, want the Tranco top 100k less public suffixes", n)
	}
	for _, name := range []string{"google.com", "www.google.com", "mail.google.com"} {
		if r := ix.Rank(fqdn(name)); r != 1 {
			t.Errorf("Rank(%s) = %d, want 1 (google.com heads the list)", name, r)
		}
	}
	if r := ix.Rank(fqdn("microsoftonline.us")); r == 0 {
		t.Error("microsoftonline.us is unranked; it is in the top 100k")
	}
	for _, name := range []string{"xkqjzvwpleq.com", "paypal-login-verify.tk", "localhost", "com"} {
		if r := ix.Rank(fqdn(name)); r != 0 {
			t.Errorf("Rank(%s) = %d, want 0", name, r)
		}
	}
}

func TestSharedZonesAreNeverPopular(t *testing.T) {
	ix := Builtin()
	// github.io and duckdns.org are in the list, but they are public
	// suffixes (private section): the user's zone is what is registered.
	for _, name := range []string{"evil.github.io", "x.evil.duckdns.org", "paypal.blogspot.com"} {
		if r := ix.Rank(fqdn(name)); r != 0 {
			t.Errorf("Rank(%s) = %d, want 0 (a user zone of a shared platform)", name, r)
		}
	}
	// A dynamic-DNS provider that is not a public suffix: listed as dyndns,
	// its subdomains are anyone's.
	b := NewBuilder()
	must(b.AddPopular("dyn-provider.net", 10, "top"))
	must(b.AddPopular("shop.example", 11, "top"))
	must(b.AddDomain("dyn-provider.net", &Source{List: "ddns", Category: CatDynDNS}))
	ix = b.Build()
	if r := ix.Rank(fqdn("home.dyn-provider.net")); r != 0 {
		t.Errorf("a dynamic-DNS zone ranks %d, want 0", r)
	}
	if r := ix.Rank(fqdn("www.shop.example")); r != 11 {
		t.Errorf("Rank(www.shop.example) = %d, want 11", r)
	}
}

func TestUserRanksExtendTheBuiltinPrior(t *testing.T) {
	b := NewBuilder()
	b.UseBuiltinPopularity()
	must(b.AddPopular("intranet-portal.com", 5, "site"))
	must(b.AddPopular("google.com", 40, "site"))
	if err := b.AddPopular("google.com", 3, "site"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second rank of a domain in one list: err %v, want ErrDuplicate", err)
	}
	for _, bad := range []string{"www.google.com", "co.uk", "bad name.com", ""} {
		if err := b.AddPopular(bad, 1, "site"); err == nil {
			t.Errorf("AddPopular(%q) accepted a name that is not a registered domain", bad)
		}
	}
	ix := b.Build()
	if r := ix.Rank(fqdn("intranet-portal.com")); r != 5 {
		t.Errorf("user-ranked domain: %d, want 5", r)
	}
	if r := ix.Rank(fqdn("google.com")); r != 1 {
		t.Errorf("google.com: %d, want the better of built-in 1 and user 40", r)
	}
	var entries int
	for _, l := range ix.Lists() {
		if l.Category == CatPopular {
			entries += l.Entries
		}
	}
	if entries != ix.PopularityEntries() {
		t.Errorf("lists account for %d ranked domains, the index holds %d", entries, ix.PopularityEntries())
	}
}

func TestNoPriorWithoutBuiltinOrFeeds(t *testing.T) {
	b := NewBuilder()
	b.AddBuiltin()
	if r := b.Build().Rank(fqdn("google.com")); r != 0 {
		t.Errorf("an index without a prior ranks google.com %d", r)
	}
}

// TestBuiltinPopularityTable: the table built from popular.txt ranks every listed domain as the list does (line n has rank n; a domain
// listed twice keeps its better rank) and nothing else.
func TestBuiltinPopularityTable(t *testing.T) {
	want := map[string]uint32{}
	sc := bufio.NewScanner(strings.NewReader(popularList))
	for rank := uint32(1); sc.Scan(); rank++ {
		if d := sc.Text(); d != "" && want[d] == 0 {
			want[d] = rank
		}
	}
	tab := builtinTable()
	if tab.Len() != len(want) || len(want) < 90_000 {
		t.Fatalf("table holds %d domains, the list %d", tab.Len(), len(want))
	}
	for d, r := range want {
		if got := tab.Rank(d); got != r {
			t.Fatalf("Rank(%q) = %d, the list %d", d, got, r)
		}
		if got := tab.Rank("x" + d); got != want["x"+d] {
			t.Fatalf("Rank(%q) = %d, the list %d", "x"+d, got, want["x"+d])
		}
	}
}

func BenchmarkRank(b *testing.B) {
	ix := Builtin()
	names := []*scoring.FQDN{fqdn("www.google.com"), fqdn("cdn.example-shop.net"), fqdn("x.evil.duckdns.org"), fqdn("api.github.com")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Rank(names[i&3])
	}
}

// BenchmarkParseBuiltinPrior is the prior's cost at startup (once per
// process): decompressing the list and building its table.
func BenchmarkParseBuiltinPrior(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := poptable.Build(popularList); err != nil {
			b.Fatal(err)
		}
	}
}
