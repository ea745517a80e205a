package harness

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/netflightrecorder/nfr/formats/chunk/chunktest"
)

// Rec is one generated record with the time the plugin will decode for it.
type Rec struct {
	Time   time.Time
	Record chunktest.Record
}

// Gen generates Zeek JSON dns and conn records (nested id maps, arrays)
// and the odd record that is not an event, encoded in every layout and
// time encoding Fluent Bit uses, with group markers and bin strings.
type Gen struct {
	rng  *rand.Rand
	n    int
	base time.Time
	// Listed are names the generator queries now and then; put them in a
	// feed so that the records raise alerts.
	Listed []string
}

// NewGen returns a deterministic generator.
func NewGen(seed uint64) *Gen {
	return &Gen{
		rng:    rand.New(rand.NewPCG(seed, 0x6e6672)),
		base:   time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		Listed: []string{"c2.evil-callback.example", "update.bad-actor.test", "pool.minexmr-like.test", "login.paypa1-secure.test"},
	}
}

// Chunk returns a chunk of n records and the records it holds.
func (g *Gen) Chunk(n int) ([]byte, []Rec) {
	var data []byte
	recs := make([]Rec, 0, n)
	for i := 0; i < n; i++ {
		layout := chunktest.Layouts[g.rng.IntN(len(chunktest.Layouts))]
		enc := chunktest.TimeEncs[g.rng.IntN(len(chunktest.TimeEncs))]
		if g.rng.IntN(20) == 0 {
			data = chunktest.AppendGroupMarker(data, layout, true)
		}
		t := g.next()
		rec := g.record(t)
		data = chunktest.Append(data, chunktest.Event{Time: t, Record: rec, Layout: layout, TimeEnc: enc, BinText: g.rng.IntN(4) == 0})
		if g.rng.IntN(20) == 0 {
			data = chunktest.AppendGroupMarker(data, layout, false)
		}
		recs = append(recs, Rec{Time: chunktest.EncodedTime(t, enc), Record: rec})
	}
	return data, recs
}

// next advances time by a multiple of 1/256 s, exact in every encoding.
func (g *Gen) next() time.Time {
	g.n++
	return g.base.Add(time.Duration(g.n*(1+g.rng.IntN(64))) * time.Second / 256)
}

func (g *Gen) record(t time.Time) chunktest.Record {
	switch r := g.rng.IntN(100); {
	case r < 70:
		return g.dns(t)
	case r < 97:
		return g.conn(t)
	default:
		return chunktest.R("message", "not a network record", "level", int64(3))
	}
}

func (g *Gen) host() string { return fmt.Sprintf("10.0.%d.%d", g.rng.IntN(4), 2+g.rng.IntN(40)) }

func (g *Gen) ts(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

func (g *Gen) id(proto string) chunktest.Record {
	resp := "10.0.0.1"
	port := int64(53)
	if proto == "tcp" {
		resp = fmt.Sprintf("198.51.100.%d", 1+g.rng.IntN(200))
		port = []int64{80, 443, 22, 445, 3389, 8080}[g.rng.IntN(6)]
	}
	return chunktest.R("orig_h", g.host(), "orig_p", int64(1024+g.rng.IntN(60000)), "resp_h", resp, "resp_p", port)
}

func (g *Gen) query() string {
	switch r := g.rng.IntN(100); {
	case r < 8:
		return g.Listed[g.rng.IntN(len(g.Listed))]
	case r < 14:
		const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
		b := make([]byte, 12+g.rng.IntN(14))
		for i := range b {
			b[i] = letters[g.rng.IntN(len(letters))]
		}
		return string(b) + []string{".com", ".net", ".info", ".xyz"}[g.rng.IntN(4)]
	}
	words := []string{"www", "mail", "api", "cdn", "static", "login", "portal", "docs"}
	sites := []string{"example.com", "example.org", "wikipedia.org", "github.com", "debian.org", "corp.local"}
	return words[g.rng.IntN(len(words))] + "." + sites[g.rng.IntN(len(sites))]
}

func (g *Gen) dns(t time.Time) chunktest.Record {
	rcode, rcodeName := int64(0), "NOERROR"
	answers, ttls := []any{fmt.Sprintf("203.0.113.%d", 1+g.rng.IntN(250))}, []any{float64(60 * (1 + g.rng.IntN(10)))}
	if g.rng.IntN(10) == 0 {
		rcode, rcodeName, answers, ttls = 3, "NXDOMAIN", []any{}, []any{}
	}
	return chunktest.R(
		"ts", g.ts(t), "uid", fmt.Sprintf("C%x", g.rng.Uint64()), "id", g.id("udp"), "proto", "udp",
		"trans_id", int64(g.rng.IntN(65536)), "rtt", 0.0125, "query", g.query(), "qclass", int64(1), "qclass_name", "C_INTERNET",
		"qtype", int64(1), "qtype_name", "A", "rcode", rcode, "rcode_name", rcodeName,
		"AA", false, "TC", false, "RD", true, "RA", true, "Z", int64(0), "answers", answers, "TTLs", ttls, "rejected", false,
	)
}

func (g *Gen) conn(t time.Time) chunktest.Record {
	states := []string{"SF", "S0", "REJ", "RSTO", "SH"}
	return chunktest.R(
		"ts", g.ts(t), "uid", fmt.Sprintf("C%x", g.rng.Uint64()), "id", g.id("tcp"), "proto", "tcp", "service", "-",
		"duration", float64(g.rng.IntN(5000))/256, "orig_bytes", uint64(g.rng.IntN(100000)), "resp_bytes", uint64(g.rng.IntN(1000000)),
		"conn_state", states[g.rng.IntN(len(states))], "local_orig", true, "local_resp", false, "missed_bytes", int64(0),
		"history", "ShADadFf", "orig_pkts", uint64(1+g.rng.IntN(100)), "resp_pkts", uint64(g.rng.IntN(100)),
	)
}
