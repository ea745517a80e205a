package feeds

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/scoring/intel"
)

// parser turns the lines of one feed into indicators.
type parser struct {
	b      *intel.Builder
	f      config.Feed
	rep    *Report
	src    *intel.Source // current source (maltrail: changes with each Reference)
	format func(p *parser, n int, text string)
	header bool // csv: first record seen
	// rank is the last rank a popularity list gave (plain lists rank
	// their entries in order).
	rank uint32
}

func newParser(b *intel.Builder, f config.Feed, rep *Report) *parser {
	p := &parser{b: b, f: f, rep: rep,
		src: &intel.Source{List: f.Name, Category: f.Category, Ref: rep.Path}}
	switch f.Format {
	case "plain":
		p.format = (*parser).plain
		if f.Category == intel.CatPopular {
			p.format = (*parser).popularPlain
		}
	case "tranco":
		p.format = (*parser).tranco
	case "maltrail":
		p.format = (*parser).maltrail
	case "hosts":
		p.format = (*parser).hosts
	case "csv":
		p.format = (*parser).csv
	case "tor-exit":
		p.format = (*parser).torExit
	default:
		return nil
	}
	return p
}

// line accounts for blank and comment lines and hands the rest to the format.
func (p *parser) line(n int, text string) {
	switch {
	case text == "":
		p.rep.Blank++
	case text[0] == '#' || text[0] == ';' || strings.HasPrefix(text, "//"):
		p.rep.Comments++
		if p.f.Format == "maltrail" {
			p.reference(text)
		}
	default:
		p.format(p, n, text)
	}
}

// reference starts a new source note at a maltrail "# Reference: URL" comment.
func (p *parser) reference(text string) {
	rest := strings.TrimSpace(strings.TrimLeft(text, "#"))
	if len(rest) > 10 && strings.EqualFold(rest[:10], "reference:") {
		ref := strings.TrimSpace(rest[10:])
		if ref != "" {
			p.src = &intel.Source{List: p.f.Name, Category: p.f.Category, Ref: ref}
		}
	}
}

// plain: one domain, IP or CIDR per line; anything after whitespace is a comment.
func (p *parser) plain(n int, text string) {
	p.entry(n, firstField(stripComment(text)))
}

// maltrail: a trail per line (domain, IP, CIDR, ip:port, or an URL whose
// scheme is dropped); case-insensitive.
func (p *parser) maltrail(n int, text string) {
	p.entry(n, strings.ToLower(firstField(stripComment(text))))
}

// hosts: "ADDRESS NAME [NAME...]"; localhost entries are skipped.
func (p *parser) hosts(n int, text string) {
	fields := strings.Fields(stripComment(text))
	if _, err := netip.ParseAddr(fields[0]); err != nil {
		p.rep.reject(n, "no address", fmt.Sprintf("%q does not start with an IP address", text))
		return
	}
	if len(fields) == 1 {
		p.rep.reject(n, "no host name", fmt.Sprintf("%q has an address but no name", text))
		return
	}
	names := 0
	for _, name := range fields[1:] {
		if isLocalName(name) {
			continue
		}
		names++
		p.entry(n, name)
	}
	if names == 0 {
		p.rep.Skipped++
	}
}

// csv: the indicator is in column f.Column; a first row whose column is not
// an indicator is a header.
func (p *parser) csv(n int, text string) {
	r := csv.NewReader(strings.NewReader(text))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	first := !p.header
	p.header = true
	if err != nil {
		p.rep.reject(n, "bad csv", err.Error())
		return
	}
	if p.f.Column >= len(rec) {
		p.rep.reject(n, "missing column", fmt.Sprintf("column %d of %d", p.f.Column, len(rec)))
		return
	}
	value := strings.TrimSpace(rec[p.f.Column])
	if first {
		if _, err := parseEntry(value); err != nil {
			p.rep.Skipped++ // header
			return
		}
	}
	p.entry(n, value)
}

// torExit: "ExitAddress IP DATE TIME" lines of Tor's exit list; the other
// descriptor lines are metadata. A bare address line is accepted too.
func (p *parser) torExit(n int, text string) {
	fields := strings.Fields(text)
	switch fields[0] {
	case "ExitAddress":
		if len(fields) < 2 {
			p.rep.reject(n, "no address", text)
			return
		}
		p.entry(n, fields[1])
	case "ExitNode", "Published", "LastStatus":
		p.rep.Skipped++
	default:
		if _, err := netip.ParseAddr(fields[0]); err == nil && len(fields) == 1 {
			p.entry(n, fields[0])
			return
		}
		p.rep.reject(n, "not a tor exit list line", text)
	}
}

// tranco: "rank,domain" lines of a popularity list; a first line whose
// rank is not a number is a header.
func (p *parser) tranco(n int, text string) {
	rankText, domain, ok := strings.Cut(text, ",")
	rank, err := strconv.ParseUint(strings.TrimSpace(rankText), 10, 32)
	first := !p.header
	p.header = true
	switch {
	case err != nil && first:
		p.rep.Skipped++ // header
	case !ok || err != nil || rank == 0:
		p.rep.reject(n, "not a rank,domain line", fmt.Sprintf("%q: want a rank from 1 and a domain", text))
	default:
		p.popular(n, strings.TrimSpace(domain), uint32(rank))
	}
}

// popularPlain: one registered domain per line, ranked in file order.
func (p *parser) popularPlain(n int, text string) {
	p.popular(n, firstField(stripComment(text)), p.rank+1)
}

// popular ranks one registered domain and accounts for it.
func (p *parser) popular(n int, domain string, rank uint32) {
	p.rank = rank
	switch err := p.b.AddPopular(domain, rank, p.f.Name); {
	case errors.Is(err, intel.ErrDuplicate):
		p.rep.Duplicates++
	case err != nil:
		p.rep.reject(n, "not a registered domain", err.Error())
	default:
		p.rep.Entries++
	}
}

// entry adds one indicator and accounts for it.
func (p *parser) entry(n int, text string) {
	clean, err := parseEntry(text)
	if err != nil {
		p.rep.reject(n, "not an indicator", err.Error())
		return
	}
	switch _, err := p.b.Add(clean, p.src); {
	case errors.Is(err, intel.ErrDuplicate):
		p.rep.Duplicates++
	case err != nil:
		p.rep.reject(n, "not an indicator", err.Error())
	default:
		p.rep.Entries++
	}
}

// parseEntry cleans one indicator: it drops an URL scheme and a bare
// trailing "/", and rejects URLs with a path (not supported: nfr matches
// hosts, not URLs) and single-label names.
func parseEntry(text string) (string, error) {
	s := text
	if i := strings.Index(s, "://"); i > 0 {
		s = s[i+3:]
	}
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return "", fmt.Errorf("%q is empty", text)
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if _, err := netip.ParsePrefix(s); err != nil {
			return "", fmt.Errorf("%q is an URL with a path (only hosts, addresses and CIDRs are supported)", text)
		}
		return s, nil
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return s, nil
	}
	if _, err := netip.ParseAddrPort(s); err == nil {
		return s, nil
	}
	// A single label is accepted only written as an explicit suffix
	// (".onion" in maltrail's onion trails): a bare "localhost" or "lan"
	// in a feed is a mistake, not a TLD.
	if strings.IndexByte(strings.Trim(s, "."), '.') < 0 && !strings.HasPrefix(s, ".") {
		return "", fmt.Errorf("%q is a single label, not a domain (write .%s for a top-level suffix)", text, s)
	}
	if _, err := intel.NormaliseDomain(s); err != nil && !strings.Contains(s, ":") {
		return "", err
	}
	return s, nil
}

// stripComment removes a trailing "# ..." comment preceded by whitespace.
func stripComment(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

func firstField(s string) string {
	if i := strings.IndexAny(s, " \t,"); i >= 0 {
		return s[:i]
	}
	return s
}

func isLocalName(name string) bool {
	switch strings.ToLower(name) {
	case "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
		"ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
		"ip6-allhosts", "0.0.0.0":
		return true
	}
	return false
}
