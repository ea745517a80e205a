package engine

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/scoring/intel"
	"github.com/netflightrecorder/nfr/scoring/internal/hotmem"
	"github.com/netflightrecorder/nfr/scoring/scope"
	"github.com/netflightrecorder/nfr/scoring/state"
)

// nameSlots bounds the memo of query names (their layout, with the
// registered domain's hash, and whether they matched no domain
// indicator): 128 bytes a slot (a memo and its key, 104 bytes, start a
// cache line each: state.NameCache) and 2 of the cache's doorkeeper.
const nameSlots = 16384

// cleanAnswerSlots is the size of the direct-mapped cache of answer
// addresses, by their text, that matched no indicator (24 bytes a slot).
const (
	cleanAnswerBits  = 13
	cleanAnswerSlots = 1 << cleanAnswerBits
)

// ASNLookup maps an address to its autonomous system (formats/asn reads a
// MaxMind-format database into one).
type ASNLookup interface {
	Lookup(netip.Addr) (asn uint32, org string, ok bool)
}

// Deps are the compiled inputs the engine scores against.
type Deps struct {
	Scope *scope.Set   // nil: every source in scope
	Intel *intel.Index // nil: intel.Builtin()
	ASN   ASNLookup    // optional: adds the destination's AS to alerts
}

// UnknownSourceGroup labels events without a valid source address (a name
// list, a log without client IPs): they are scored as in scope.
var UnknownSourceGroup = scoring.Group{Label: "unknown-source", Desc: "events without a source address"}

// Engine scores events. Concurrency model: Process, Stats and SetIntel are
// safe to call from any number of goroutines. Process holds one mutex for
// the whole event, so detectors (which are not thread-safe) see one event
// at a time, in the order callers obtain the lock; emit runs under that
// lock and must not call back into the engine. SetIntel swaps the index
// atomically: an event already in Process finishes with the index it
// started with, so a feed reload loses no events.
type Engine struct {
	cfg       Config
	scope     *scope.Set
	allGroups []int // every group index, for events without a source
	asn       ASNLookup
	intel     atomic.Pointer[intel.Index]
	detectors []scoring.Detector
	// byType are the detectors to call per event type (all of them for a
	// type past TypeTLS): those that are not scoring.EventFilters, and
	// those whose filter wants the type.
	byType [scoring.TypeTLS + 1][]scoring.Detector

	mu sync.Mutex
	// Scratch reused for every event (guarded by mu).
	name    scoring.FQDN
	answer  scoring.FQDN
	report  scoring.Report
	members []int
	inds    []*intel.Indicator
	seen    []seenHit
	// cleanDst is the last destination (with cleanDstIx, the index it was
	// checked against) that matched no indicator.
	cleanDst   netip.AddrPort
	cleanDstIx *intel.Index
	// names memoises query names: their layout, so a name seen before is
	// not parsed again, and whether they matched no domain indicator of
	// cleanIx (emptied when the index changes). memo is the current
	// event's entry (nil when the name is not memoised), or spareMemo,
	// which holds it for an event whose name the cache did not store.
	names     *state.NameCache[nameMemo]
	memo      *nameMemo
	spareMemo nameMemo
	cleanIx   *intel.Index
	// memberCache remembers sources' scope groups (see findMembers);
	// memberMask is the current event's groups as a bit set. Both are
	// used only when maskable: the scope has at most scope.MaskGroups
	// groups (allMask is then all of them). members lists the groups
	// once memberList has built it (membersPending: not yet).
	memberCache    *[memberSlots]memberSlot
	memberMask     uint64
	membersPending bool
	maskable       bool
	allMask        uint64
	// cleanAnswers holds the texts of answer addresses that matched no
	// indicator of cleanIx, direct-mapped, so a repeated answer is
	// neither parsed nor matched again.
	cleanAnswers *[cleanAnswerSlots]answerText

	suppress *suppressor
	stats    counters
}

// New builds an engine. cfg is validated (engine keys and every detector
// section); the error names the offending key.
func New(cfg Config, deps Deps) (*Engine, error) {
	return newEngine(cfg, deps, nil)
}

// newEngine is New with extra detectors run after the configured ones
// (tests use it to exercise the pipeline with detectors of their own).
func newEngine(cfg Config, deps Deps, extra []scoring.Detector) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	e := &Engine{
		cfg:          cfg,
		scope:        deps.Scope,
		asn:          deps.ASN,
		suppress:     newSuppressor(cfg.Suppress),
		names:        state.NewNameCache[nameMemo](nameSlots).WithDoorkeeper(),
		cleanAnswers: (*[cleanAnswerSlots]answerText)(hotmem.Table[answerText](cleanAnswerSlots)),
		memberCache:  (*[memberSlots]memberSlot)(hotmem.Table[memberSlot](memberSlots)),
	}
	if e.scope != nil {
		for i := 0; i < e.scope.Len(); i++ {
			e.allGroups = append(e.allGroups, i)
		}
		if e.maskable = e.scope.Len() <= scope.MaskGroups; e.maskable {
			e.allMask = 1<<e.scope.Len() - 1
		}
	}
	ix := deps.Intel
	if ix == nil {
		ix = intel.Builtin()
	}
	e.intel.Store(ix)
	e.detectors = append(configuredDetectors(cfg.Detectors), extra...)
	for t := range e.byType {
		for _, d := range e.detectors {
			if f, ok := d.(scoring.EventFilter); !ok || f.Wants(scoring.EventType(t)) {
				e.byType[t] = append(e.byType[t], d)
			}
		}
	}
	e.stats.byThreat = map[scoring.ThreatID]uint64{}
	return e, nil
}

// SetIntel replaces the intel index (after a feed reload). nil means the
// built-in index.
func (e *Engine) SetIntel(ix *intel.Index) {
	if ix == nil {
		ix = intel.Builtin()
	}
	e.intel.Store(ix)
}

// Intel returns the index in use.
func (e *Engine) Intel() *intel.Index { return e.intel.Load() }

// Process scores one event; emit is called synchronously for each alert
// (a fresh *scoring.Alert the callee may keep). An event that raises
// nothing does not allocate.
func (e *Engine) Process(ev *scoring.Event, emit func(*scoring.Alert)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats.events++

	noSource := !ev.SrcIP.IsValid()
	ofSource := e.scope != nil && !noSource
	trustMask := e.allMask
	if ofSource {
		if !e.findMembers(scopeSubject(ev)) && !(appInbound(ev) && e.findMembers(ev.DstIP)) {
			e.stats.outOfScope++
			return
		}
		trustMask = e.memberMask
	}

	ix := e.intel.Load()
	e.useCleanCaches(ix)
	e.parseName(ev, ix)
	if e.trusted(ev, ofSource, trustMask) {
		e.stats.trusted++
		return
	}
	e.stats.scored++

	r := &e.report
	r.Reset()
	if e.cfg.Intel.Enabled {
		e.matchIntel(ix, ev, r)
	}
	ds := e.detectors
	if int(ev.Type) < len(e.byType) {
		ds = e.byType[ev.Type]
	}
	for _, d := range ds {
		d.Inspect(ev, &e.name, r)
	}
	if len(r.Hits) > 0 {
		e.raise(ev, noSource, emit)
	}
}

// nameMemo is what the engine remembers of a query name.
type nameMemo struct {
	layout scoring.NameLayout
	trust  uint64 // the scope groups that trust the name (scope.TrustMask)
	rank   uint32 // the registered domain's popularity rank in Engine.cleanIx
	clean  bool   // matched no domain indicator of Engine.cleanIx
}

// parseName fills e.name from the DNS query, else the HTTP host, else the
// TLS SNI, with its popularity rank in ix, and points e.memo at the name's
// memo. A name seen before in normal form is rebuilt from its memoised
// layout and rank instead of parsed and looked up. An address literal is
// not a name.
func (e *Engine) parseName(ev *scoring.Event, ix *intel.Index) {
	raw := ev.DNS.Query
	if raw == "" {
		raw = hostWithoutPort(ev.HTTP.Host)
	}
	if raw == "" {
		raw = ev.TLS.SNI
	}
	h := scoring.HashString(raw)
	if e.memo = e.names.RefHashed(raw, h); e.memo != nil {
		e.name.SetLayout(raw, &e.memo.layout) // memoised names are domains
		e.name.Rank = e.memo.rank
		return
	}
	e.name.ParseHashed(raw, h)
	if e.name.Valid && (allDigits(e.name.TLD) || strings.IndexByte(e.name.Name, ':') >= 0) {
		e.name.Valid = false // an address literal, not a domain
		return
	}
	e.name.Rank = ix.Rank(&e.name)
	if e.name.Name != raw {
		return // not in normal form: not memoised
	}
	e.name.RegisteredHash() // hashed now, so that the layout carries it to the name's next events
	if l, ok := e.name.Layout(); ok {
		m := nameMemo{layout: l, trust: e.trustMask(raw), rank: e.name.Rank}
		if e.memo = e.names.InsertHashed(raw, e.name.Hash, m); e.memo == nil {
			// Not stored (seen once, or too long): the event still reads
			// it through e.memo, as it would a stored one.
			e.spareMemo = m
			e.memo = &e.spareMemo
		}
	}
}

// trusted reports whether a group of the source (of every group, for an
// event without one: ofSource false) trusts the event's destination: its
// name, or (for non-DNS events, whose destination is not a resolver) its
// destination address. mask is those groups as a bit set (when
// e.maskable), to check against the name memo's trusting groups; the
// groups' list is built only when the memo cannot answer.
func (e *Engine) trusted(ev *scoring.Event, ofSource bool, mask uint64) bool {
	if e.scope == nil {
		return false
	}
	memoAnswers := e.name.Valid && e.memo != nil && e.maskable
	if memoAnswers {
		if e.memo.trust&mask != 0 {
			return true // mask is not empty: neither are the groups
		}
		if ev.Type == scoring.TypeDNS {
			return false // a DNS event's destination (its resolver) is not checked
		}
	}
	groups := e.allGroups
	if ofSource {
		groups = e.memberList()
	}
	if len(groups) == 0 {
		return false
	}
	if e.name.Valid && !memoAnswers && e.scope.TrustedDomain(groups, e.name.Name) {
		return true
	}
	return ev.Type != scoring.TypeDNS && e.scope.TrustedIP(groups, ev.DstIP)
}

// hostWithoutPort strips ":port" from an HTTP Host value; an IPv6 literal
// ("[::1]:80") yields "".
func hostWithoutPort(h string) string {
	if h == "" || h[0] == '[' || strings.Count(h, ":") > 1 {
		return "" // an IPv6 literal
	}
	for i := len(h) - 1; i >= 0; i-- {
		c := h[i]
		if c == ':' {
			return h[:i]
		}
		if c < '0' || c > '9' {
			break
		}
	}
	return h
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scopeSubject is the address whose scope decides whether ev is scored: the
// source, except for ICMP echo replies, which belong to the host that sent
// the request (their destination). Without this, replies from a server
// outside scope would never reach the ICMP tunnel detector's
// request/reply comparison.
func scopeSubject(ev *scoring.Event) netip.Addr {
	if ev.Type == scoring.TypeICMP {
		v4Reply := ev.Proto == scoring.ProtoICMP && ev.ICMP.Type == 0
		v6Reply := ev.Proto == scoring.ProtoICMPv6 && ev.ICMP.Type == 129
		if v4Reply || v6Reply {
			return ev.DstIP
		}
	}
	return ev.SrcIP
}
