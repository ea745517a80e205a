package feeds

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

func parse(t *testing.T, format, category, text string, column int) (*intel.Index, Report) {
	t.Helper()
	b := intel.NewBuilder()
	rep := Parse(b, config.Feed{Name: "t", Path: "t.txt", Category: category, Format: format, Column: column}, "t.txt", strings.NewReader(text))
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	return b.Build(), rep
}

// accounted checks that every line of the feed is counted exactly once.
func accounted(t *testing.T, rep Report, multiNameLines int) {
	t.Helper()
	sum := rep.Entries + rep.Duplicates + rep.Comments + rep.Blank + rep.Skipped + rep.BadLines
	if sum != rep.Lines+multiNameLines {
		t.Errorf("lines %d but entries %d + duplicates %d + comments %d + blank %d + skipped %d + bad %d = %d",
			rep.Lines, rep.Entries, rep.Duplicates, rep.Comments, rep.Blank, rep.Skipped, rep.BadLines, sum)
	}
}

func domainHit(ix *intel.Index, name string) *intel.Indicator {
	hits := ix.AppendDomain(nil, name)
	if len(hits) == 0 {
		return nil
	}
	return hits[0]
}

func TestMaltrail(t *testing.T) {
	text := `# Copyright header
# See the file 'LICENSE'

# Reference: https://example.org/report-1

evil.example
Mixed.Case.Example
192.0.2.10
198.51.100.20:3333
203.0.113.0/24
http://192.0.2.99

# Reference: https://example.org/report-2

evil.example
sub.other.example   # trailing comment
sinkhole.example/landing/
notadomain
.onion
   
300.1.2.3`
	ix, rep := parse(t, "maltrail", "sinkhole", text, 0)
	accounted(t, rep, 0)
	if rep.Entries != 8 || rep.Duplicates != 1 || rep.BadLines != 3 || rep.Comments != 4 || rep.Blank != 5 {
		t.Errorf("report %+v", rep)
	}
	if h := domainHit(ix, "a.evil.example"); h == nil || h.Ref != "https://example.org/report-1" || h.List != "t" || h.Category != "sinkhole" {
		t.Errorf("evil.example: %+v", h)
	}
	if h := domainHit(ix, "sub.other.example"); h == nil || h.Ref != "https://example.org/report-2" {
		t.Errorf("reference not tracked: %+v", h)
	}
	if h := domainHit(ix, "abc.onion"); h == nil || h.Entry != "onion" {
		t.Errorf(".onion suffix: %+v", h)
	}
	if domainHit(ix, "mixed.case.example") == nil {
		t.Error("case not folded")
	}
	if h := ix.AppendAddrPort(nil, netip.MustParseAddrPort("198.51.100.20:3333")); len(h) != 1 {
		t.Error("ip:port not loaded")
	}
	if h := ix.AppendIP(nil, netip.MustParseAddr("203.0.113.77")); len(h) != 1 || h[0].Entry != "203.0.113.0/24" {
		t.Error("CIDR not loaded")
	}
	if h := ix.AppendIP(nil, netip.MustParseAddr("192.0.2.99")); len(h) != 1 {
		t.Error("scheme not dropped from http://IP")
	}
	wantLines := []int64{17, 18, 21}
	for i, b := range rep.Bad {
		if b.Line != wantLines[i] || b.File != "t.txt" || b.Reason == "" {
			t.Errorf("bad line %d: %+v (want line %d)", i, b, wantLines[i])
		}
	}
	if !strings.Contains(rep.Bad[0].Error(), "t.txt:17:") {
		t.Errorf("bad line error %q lacks file:line", rep.Bad[0].Error())
	}
}

func TestPlain(t *testing.T) {
	ix, rep := parse(t, "plain", "c2", "; comment\n// also comment\n*.wild.example\n.dot.example\n10.0.0.0/8 # internal\n2001:db8::1\nbad_name!.example\n", 0)
	accounted(t, rep, 0)
	if rep.Entries != 4 || rep.BadLines != 1 || rep.Comments != 2 {
		t.Errorf("report %+v", rep)
	}
	if domainHit(ix, "x.wild.example") == nil || domainHit(ix, "dot.example") == nil {
		t.Error("wildcard or leading dot not handled")
	}
	if len(ix.AppendIP(nil, netip.MustParseAddr("10.9.9.9"))) != 1 || len(ix.AppendIP(nil, netip.MustParseAddr("2001:db8::1"))) != 1 {
		t.Error("addresses not loaded")
	}
}

func TestHosts(t *testing.T) {
	text := "# hosts\n127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n0.0.0.0 miner.example\n0.0.0.0 a.example b.example # two\n0.0.0.0\nnot-an-address example.com\n0.0.0.0 miner.example\n"
	ix, rep := parse(t, "hosts", "cryptojacking", text, 0)
	accounted(t, rep, 1) // one line carries two names
	if rep.Entries != 3 || rep.Skipped != 2 || rep.BadLines != 2 || rep.Duplicates != 1 {
		t.Errorf("report %+v", rep)
	}
	for _, n := range []string{"miner.example", "a.example", "b.example"} {
		if h := domainHit(ix, n); h == nil || h.Category != "cryptojacking" {
			t.Errorf("%s not loaded", n)
		}
	}
	if domainHit(ix, "localhost") != nil {
		t.Error("localhost loaded")
	}
}

func TestCSV(t *testing.T) {
	text := "id,host,added\n1,evil.example,2024-01-01\n2,\"quoted.example\",2024\n3\n4,http://192.0.2.5/,x\n"
	ix, rep := parse(t, "csv", "phishing", text, 1)
	accounted(t, rep, 0)
	if rep.Entries != 3 || rep.Skipped != 1 || rep.BadLines != 1 {
		t.Errorf("report %+v", rep)
	}
	if domainHit(ix, "quoted.example") == nil || len(ix.AppendIP(nil, netip.MustParseAddr("192.0.2.5"))) != 1 {
		t.Error("csv column not loaded")
	}
	if rep.Bad[0].Line != 4 || rep.Bad[0].Reason != "missing column" {
		t.Errorf("bad %+v", rep.Bad[0])
	}
}

func TestTorExit(t *testing.T) {
	text := "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\nPublished 2024-01-01 10:00:00\nLastStatus 2024-01-01 11:00:00\nExitAddress 192.0.2.1 2024-01-01 11:05:00\nExitAddress 2001:db8::9 2024-01-01 11:05:00\n198.51.100.7\ngarbage here\nExitAddress\n"
	ix, rep := parse(t, "tor-exit", "tor", text, 0)
	accounted(t, rep, 0)
	if rep.Entries != 3 || rep.Skipped != 3 || rep.BadLines != 2 {
		t.Errorf("report %+v", rep)
	}
	for _, a := range []string{"192.0.2.1", "2001:db8::9", "198.51.100.7"} {
		if h := ix.AppendIP(nil, netip.MustParseAddr(a)); len(h) != 1 || h[0].Category != "tor" {
			t.Errorf("%s not loaded", a)
		}
	}
}

func TestLoadResolvesPathsAndReportsMissingFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pools.txt"), []byte("pool.example\n"), 0o644)
	in := config.Intel{Builtin: true, Feeds: []config.Feed{
		{Path: "pools.txt", Category: "mining", Format: "plain"},
		{Path: "missing.txt", Category: "c2", Format: "plain"},
		{Path: filepath.Join(dir, "pools.txt"), Category: "c2", Format: "plain"},
	}}
	ix, reps, err := Load(in, dir)
	if err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("err = %v, want the missing file named", err)
	}
	if len(reps) != 3 || reps[0].Feed.Name != "pools.txt" || reps[0].Entries != 1 || reps[1].Err == nil || reps[2].Feed.Name != "pools.txt#2" {
		t.Errorf("reports %+v", reps)
	}
	var f scoring.FQDN
	f.Parse("x.pool.example")
	if cats := ix.DomainCategories(&f); len(cats) != 2 {
		t.Errorf("categories %v, want c2 and mining", cats)
	}
	f.Parse("coinhive.com")
	if cats := ix.DomainCategories(&f); len(cats) != 1 {
		t.Errorf("built-ins not loaded: %v", cats)
	}
}

func TestStampChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	os.WriteFile(path, []byte("a.example\n"), 0o644)
	in := config.Intel{Feeds: []config.Feed{{Path: "f.txt", Category: "c2", Format: "plain"}}}
	s1 := StatFeeds(in, dir)
	if s1.Changed(StatFeeds(in, dir)) {
		t.Error("unchanged file reported changed")
	}
	os.WriteFile(path, []byte("a.example\nb.example\n"), 0o644)
	os.Chtimes(path, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	if !s1.Changed(StatFeeds(in, dir)) {
		t.Error("rewritten file not reported")
	}
	os.Remove(path)
	if !s1.Changed(StatFeeds(in, dir)) {
		t.Error("removed file not reported")
	}
}

func TestLongLineIsAnError(t *testing.T) {
	b := intel.NewBuilder()
	rep := Parse(b, config.Feed{Name: "t", Format: "plain", Category: "c2"}, "t.txt", strings.NewReader("ok.example\n"+strings.Repeat("a", maxLine+10)+"\n"))
	if rep.Err == nil || rep.Entries != 1 || !strings.Contains(rep.Err.Error(), "t.txt:2") {
		t.Errorf("report %+v", rep)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("maltrail", "# Reference: x\nevil.example\n1.2.3.4:80\nhttp://a/b\n")
	f.Add("hosts", "0.0.0.0 a.example b.example\n")
	f.Add("csv", "a,b\n1,\"x.example\"\n")
	f.Add("tor-exit", "ExitAddress 1.2.3.4 x\n")
	f.Fuzz(func(t *testing.T, format, text string) {
		switch format {
		case "plain", "hosts", "maltrail", "csv", "tor-exit":
		default:
			return
		}
		b := intel.NewBuilder()
		rep := Parse(b, config.Feed{Name: "f", Format: format, Category: "c2", Column: 1}, "f", strings.NewReader(text))
		if rep.Err != nil {
			return // an over-long line
		}
		// One list: every loaded entry is a distinct key.
		if n := b.Build().Len(); n != rep.Entries {
			t.Fatalf("index holds %d keys, report says %d entries", n, rep.Entries)
		}
		sum := rep.Entries + rep.Duplicates + rep.Comments + rep.Blank + rep.Skipped + rep.BadLines
		if sum < rep.Lines || (format != "hosts" && sum != rep.Lines) {
			t.Fatalf("%d lines but %d accounted for: %+v", rep.Lines, sum, rep)
		}
	})
}

func rankOf(ix *intel.Index, name string) uint32 {
	var f scoring.FQDN
	f.Parse(name)
	return ix.Rank(&f)
}

func TestTrancoPopularityList(t *testing.T) {
	ix, rep := parse(t, "tranco", "popular", "rank,domain\n1,shop.example\n2,portal.example\n2,portal.example\nx,bad.example\n3,www.sub.example\n\n4,intranet.example\n", 0)
	accounted(t, rep, 0)
	if rep.Entries != 3 || rep.Duplicates != 1 || rep.Skipped != 1 || rep.BadLines != 2 {
		t.Errorf("entries %d duplicates %d skipped %d bad %d: want 3, 1, 1 (the header), 2 (x,bad.example and a subdomain)",
			rep.Entries, rep.Duplicates, rep.Skipped, rep.BadLines)
	}
	if len(rep.Bad) == 2 && rep.Bad[0].Line != 5 {
		t.Errorf("first bad line reported at %d, want 5", rep.Bad[0].Line)
	}
	if r := rankOf(ix, "api.portal.example"); r != 2 {
		t.Errorf("rank of a subdomain of portal.example: %d, want 2", r)
	}
	if r := rankOf(ix, "intranet.example"); r != 4 {
		t.Errorf("rank of intranet.example: %d, want 4", r)
	}
	if len(ix.AppendDomain(nil, "shop.example")) != 0 {
		t.Error("a popularity entry became an indicator")
	}
}

func TestPlainPopularityListRanksInOrder(t *testing.T) {
	ix, rep := parse(t, "plain", "popular", "# our own\nfirst.example\nsecond.example  # note\n", 0)
	accounted(t, rep, 0)
	if r1, r2 := rankOf(ix, "first.example"), rankOf(ix, "second.example"); r1 != 1 || r2 != 2 {
		t.Errorf("ranks %d, %d: want 1, 2 (file order)", r1, r2)
	}
}

func TestPopularityFeedConfig(t *testing.T) {
	for _, tc := range []struct {
		category, format string
		ok               bool
	}{{"popular", "tranco", true}, {"popular", "plain", true}, {"popular", "maltrail", false}, {"c2", "tranco", false}} {
		err := config.Intel{Feeds: []config.Feed{{Path: "x", Category: tc.category, Format: tc.format}}}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("category %s format %s: err %v, want ok=%v", tc.category, tc.format, err, tc.ok)
		}
	}
}
