// Package beacon detects C2 beaconing: a source calling back to one
// destination (address, port and protocol; optionally one looked-up name)
// at regular intervals with regular sizes. It raises c2_beaconing at most
// once per series and window. It must not do I/O, read the clock or keep
// state beyond max_keys series.
//
// # Statistics
//
// Each series keeps its last 32 intervals between callbacks (callbacks
// closer than min_interval are one burst) and the bytes the source sent in
// each. Dispersion is the median absolute deviation over the median
// (MAD/median), robust to the outliers beacons produce when a callback is
// lost (one doubled interval) or a task is run (one large transfer). A
// series is judged once it has min_callbacks (12) callbacks over min_span
// (10m); an irregular series is judged again after a growing pause (1 to 8
// callbacks).
//
// # Defaults
//
// interval_dispersion 0.2: a beacon with jitter j (intervals uniform in
// [T(1-j), T], Cobalt Strike's model) has MAD/median j/(4-2j): 0.03 at
// 10%, 0.17 at 50%. Exponential think times of a person give about 0.7,
// and sums of a few (the every-nth event of a busy source) 0.25 to 0.4.
// size_dispersion 0.1: an idle implant's check-in differs by a few bytes;
// web requests vary by tens of percent. Measured in the tests: 10% and 50%
// jitter beacons and a beacon losing 10% of callbacks are reported at 12
// to 14 callbacks; exponential browsing to the same sites and regular
// timing with varying sizes stay silent.
//
// # Known false positives and their controls
//
// Periodic by design, and not measured: DNS, NTP, NetBIOS, DHCP, SSDP,
// mDNS and LLMNR ports (ignore_ports), destinations inside
// internal_networks (monitoring polls and scrapes), destinations the intel
// stage tags with one of exempt_categories. Web applications that poll
// with fixed requests (mail, chat, dashboards) and software update checks
// are periodic too: severity 3 is "verify", and scope groups exempt known
// pollers. Lookups of one name are off by default (lookups): caching
// resolvers make any polled name look up at TTL expiry, as regularly as a
// beacon.
package beacon
