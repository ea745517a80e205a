package pipeline

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netflightrecorder/nfr/formats/asn/asntest"
	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring"
)

func lookup(q string, at time.Time) *scoring.Event {
	ev := &scoring.Event{Time: at, Type: scoring.TypeDNS, SrcIP: netip.MustParseAddr("10.0.0.7"),
		DstIP: netip.MustParseAddr("10.0.0.53"), DstPort: 53, Proto: scoring.ProtoUDP}
	ev.DNS.Query, ev.DNS.QType, ev.DNS.Rcode = q, 1, scoring.RcodeNoError
	return ev
}

func threats(p *Pipeline, ev *scoring.Event) []scoring.ThreatID {
	var ids []scoring.ThreatID
	p.Score(ev, func(a *scoring.Alert) {
		for _, t := range a.Threats {
			ids = append(ids, t.ID)
		}
	})
	return ids
}

// TestFeedsReloadWhenTheirFilesChange: with WatchFeeds set, an edited
// feed file takes effect without a restart, and the old entry stops matching.
func TestFeedsReloadWhenTheirFilesChange(t *testing.T) {
	dir := t.TempDir()
	feed := filepath.Join(dir, "c2.txt")
	if err := os.WriteFile(feed, []byte("# test feed\nfirst-c2.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Dir = dir
	cfg.Outputs = []config.Output{{Sink: "file:" + filepath.Join(dir, "alerts.json"), Format: "json", Syslog: config.DefaultSyslog()}}
	cfg.Intel.Feeds = []config.Feed{{Name: "test-c2", Path: "c2.txt", Category: "c2", Format: "plain"}}
	p, err := New(cfg, nil, Options{WatchFeeds: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := threats(p, lookup("beacon.first-c2.example", t0)); len(got) != 1 || got[0] != scoring.C2Communication {
		t.Fatalf("before reload: %v", got)
	}
	// A different size guarantees the change is seen even within one mtime tick.
	if err := os.WriteFile(feed, []byte("second-c2.example\nthird-c2.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(threats(p, lookup("x.second-c2.example", t0.Add(time.Hour)))) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the edited feed was not reloaded within 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := threats(p, lookup("y.first-c2.example", t0.Add(2*time.Hour))); len(got) != 0 {
		t.Fatalf("an entry removed from the feed still matches: %v", got)
	}
	if r := p.Feeds(); len(r) != 1 {
		t.Fatalf("feed reports: %+v", r)
	}
}

// TestCloseStopsTheFeedWatcher: Close returns even when the feed watcher
// has not yet run (the plugin's ExitCtx once hung here: the watcher read
// the stop channel after Close had cleared it and waited forever).
func TestCloseStopsTheFeedWatcher(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c2.txt"), []byte("c2.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Dir = dir
	cfg.Intel.Feeds = []config.Feed{{Name: "test-c2", Path: "c2.txt", Category: "c2", Format: "plain"}}
	for i := 0; i < 50; i++ {
		p, err := New(cfg, nil, Options{WatchFeeds: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		closed := make(chan error, 1)
		go func() { closed <- p.Close() }()
		select {
		case err := <-closed:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Close %d did not return within 10s: the feed watcher never stopped", i)
		}
	}
}

// TestMissingASNDatabaseIsAnError: a configured but unreadable ASN database
// stops start-up with a message naming the key.
func TestMissingASNDatabaseIsAnError(t *testing.T) {
	cfg := config.Default()
	cfg.Outputs = nil
	cfg.Intel.ASNDatabase = filepath.Join(t.TempDir(), "missing.mmdb")
	if _, err := New(cfg, nil, Options{}); err == nil {
		t.Fatal("New succeeded without the ASN database")
	} else if want := "intel.asn_database"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not name %s", err, want)
	}
}

// TestASNDatabaseEnrichesAlerts: with intel.asn_database set (relative to
// config.yml's directory), an alert carries its destination's AS.
func TestASNDatabaseEnrichesAlerts(t *testing.T) {
	dir := t.TempDir()
	db := asntest.Build(map[string]asntest.Entry{"203.0.113.0/24": {ASN: 64500, Org: "Example Transit"}})
	if err := os.WriteFile(filepath.Join(dir, "asn.mmdb"), db, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Dir, cfg.Outputs, cfg.Intel.ASNDatabase = dir, nil, "asn.mmdb"
	p, err := New(cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ev := lookup("mirror.torproject.onion", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ev.DstIP = netip.MustParseAddr("203.0.113.53")
	var entries []string
	p.Score(ev, func(a *scoring.Alert) {
		for _, e := range a.Evidence {
			if e.Detector == "asn" {
				entries = append(entries, e.Entry)
			}
		}
	})
	if len(entries) != 1 || entries[0] != "AS64500 Example Transit" {
		t.Fatalf("asn evidence = %v", entries)
	}
}

// TestReloadReopensOutputFiles: Reload (SIGHUP) re-reads the feeds and
// reopens the output files, so a moved alert file is followed at once.
func TestReloadReopensOutputFiles(t *testing.T) {
	dir := t.TempDir()
	feed, alerts := filepath.Join(dir, "c2.txt"), filepath.Join(dir, "alerts.json")
	if err := os.WriteFile(feed, []byte("first-c2.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Dir = dir
	cfg.Outputs = []config.Output{{Sink: "file:" + alerts, Format: "json", Syslog: config.DefaultSyslog(), HTTP: config.DefaultHTTP()}}
	cfg.Intel.Feeds = []config.Feed{{Name: "test-c2", Path: "c2.txt", Category: "c2", Format: "plain"}}
	p, err := New(cfg, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := os.Rename(alerts, alerts+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(feed, []byte("second-c2.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(alerts); err != nil {
		t.Fatalf("Reload did not reopen the alert file: %v", err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := threats(p, lookup("x.second-c2.example", t0)); len(got) != 1 {
		t.Errorf("Reload did not reload the feed: %v", got)
	}
}
