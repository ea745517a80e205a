package sniffer

import (
	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer/appid"
	"github.com/netflightrecorder/nfr/sniffer/flow"
)

// Application identification (package appid): the first payloads of each
// side of a TCP or UDP flow (DNS ports excepted, but for iodine's raw
// mode, which sends its own header to the DNS port) go through appid's
// tables, and a TLS ClientHello is checked for Tor's shape. The result is
// the flow record's app, app_confidence and app_evidence. Per flow this
// costs appid.StateBytes inside flow.Flow; per decoder, the names looked
// up that Tor's check consults (lookedUp, at most 32 KiB).

// identify reads payload p of flow f for the identifiers.
func (d *Decoder) identify(f *flow.Flow, fromOrig bool) {
	p := &d.pkt
	if len(p.Payload) == 0 || f.App.Done() || d.dnsPort(p) && !appid.IodineRaw(p.Payload) {
		return
	}
	f.App.Observe(p.Proto, p.Payload, fromOrig)
}

// torHello marks flow f as Tor when its ClientHello offers no ALPN and
// names a random-looking www.<base32 with a digit>.com|net that no DNS
// message seen so far asked for.
func (d *Decoder) torHello(f *flow.Flow, k streamKey, h *helloInfo) {
	if f == nil || h.alpn {
		return
	}
	shape, digit := appid.TorSNI(h.sni)
	if !shape || !digit || d.lookedUp.has(h.sni) {
		return
	}
	rule, conf := appid.RuleTorRandom, appid.Medium
	if appid.TorRelayPort(k.dstPort) {
		rule, conf = appid.RuleTorRelayPort, appid.High
	}
	f.App.Set(rule, conf, h.sni)
}

// noteLookup remembers a DNS name of Tor's SNI shape.
func (d *Decoder) noteLookup(name []byte) {
	var low [64]byte
	if len(name) > len(low) {
		return
	}
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	if shape, _ := appid.TorSNI(low[:len(name)]); shape {
		d.lookedUp.add(low[:len(name)])
	}
}

// appFields fills the flow event's application fields from f.
func (d *Decoder) appFields(f *flow.Flow, fl *scoring.Flow) {
	a := f.App.App()
	if a == appid.Unknown {
		return
	}
	fl.App, fl.AppConfidence = a.String(), f.App.Confidence().String()
	d.evidence = f.App.AppendEvidence(d.evidence[:0])
	fl.AppEvidence = d.names.Get(d.evidence)
}

// nameSet is a direct-mapped set of name hashes: lookedUpSlots entries
// (8 bytes each), allocated at the first name; a name that collides with
// a later one is forgotten.
type nameSet struct {
	slots *[lookedUpSlots]uint64
}

const lookedUpSlots = 4096

func hashName(b []byte) uint64 { return Digest(b) | 1 }

func (s *nameSet) add(name []byte) {
	if s.slots == nil {
		s.slots = new([lookedUpSlots]uint64)
	}
	h := hashName(name)
	s.slots[h%lookedUpSlots] = h
}

func (s *nameSet) has(name []byte) bool {
	if s.slots == nil {
		return false
	}
	h := hashName(name)
	return s.slots[h%lookedUpSlots] == h
}
