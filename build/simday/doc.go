// Package simday simulates an enterprise day of DNS traffic: a stream of
// scoring.Event values (TypeDNS, with responses: rcode, answers with CNAME
// targets before addresses, TTLs) from a population of benign hosts, in
// global event-time order, into which callers can mix hosts of their own
// (planted threats, infected hosts) through the Host interface.
//
// It is an evaluation tool: build/eval.d scripts and evaluation tests use
// it to measure alert budgets (false alerts per host-hour) and per-host
// detection on realistic background traffic. It reads name lists from the
// shared evaluation corpus (LoadCorpus, ../shared/corpus, passed in by the
// caller) and is never linked into nfr's binaries; callers skip with one
// line when the corpus is absent. Apart from the corpus lists, every name
// it emits is one it writes itself (the service, intranet and ad-tech names
// in names.go) or derives from the lists (subdomains, CDN chains, typos).
//
// # What a benign host does
//
// Each host is a small generator: lookups arrive as a Poisson process whose
// rate follows a business-hours curve (HourFactor: 8% at night, ramping up
// from 07:00, full 09:00-17:00 with a lunch dip, down by 20:00; servers are
// flat), scaled per host (0.5x-2x: people differ). Each lookup draws one
// behaviour:
//
//   - browsing (about 78%): a registered domain drawn by popularity, Zipf
//     with s = 1 over the top list (rank r drawn with weight 1/r, which is
//     how request popularity is usually measured to fall off), under a
//     usual subdomain (www, api, cdn, static, login, mail, img, m or the
//     apex); 4% of draws come from the long-tail list instead. About a
//     third of registered domains (chosen by a hash, so consistently) sit
//     behind a CDN and answer with a CNAME chain to names such as
//     <label>.map.fastly.net, <site>.com.cdn.cloudflare.net,
//     <label>.edgekey.net then <label>.akamaiedge.net, <label>.cloudfront.net,
//     <label>.azureedge.net or <label>.trafficmanager.net; browsers then
//     sometimes look the CDN name up itself. 2% of registered domains
//     (by a hash) are on the site's DNS filter blocklist and answer
//     0.0.0.0.
//   - background services (about 10%): Windows update and telemetry, Apple
//     push, NTP pools, Office 365's many-subdomain services (<random
//     tenant-like labels>.<service>.office.net), OCSP and CRL endpoints.
//   - search-suffix devolution (about 4%): single-label and short names
//     (wpad, isatap, printer, or a popular name such as example.com) tried
//     under the site's search suffix, answered NXDOMAIN; a few intranet
//     names under the suffix that do resolve.
//   - mistyped names (about 1%): a popular name with one letter dropped,
//     doubled, swapped or replaced, NXDOMAIN.
//   - stale bookmarks (about 1%): each host keeps a few long-tail names that
//     no longer resolve and returns to them (NXDOMAIN).
//   - ad and tracker domains (about 4%): sinkholed by the site's DNS filter
//     (answer 0.0.0.0).
//   - mDNS/LLMNR leaks (about 2%): <host>.local, _dns-sd service names, and
//     Windows-style single-label host names (desktop-<7 random characters>)
//     that reach the DNS, NXDOMAIN.
//
// Chrome's intranet redirect probes come at browser start-up (the first
// activity of the working day and once after lunch on 70% of workstations):
// three random single labels of 7-15 letters, NXDOMAIN, each also tried
// under the search suffix. Any query is repeated by the resolver within a
// second 2% of the time (same answer).
//
// # Scale and determinism
//
// Output is fully determined by Config.Seed and the lists. Run holds one
// pending activity per host (a few events), so memory does not grow with
// the duration: a 24 h day of 200 hosts streams through in seconds.
package simday
