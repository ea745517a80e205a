// Package nxdomain detects hosts receiving many NXDOMAIN answers
// (unreachable_domain_volume): malware cycling through generated or dead
// C2 names, or a badly misconfigured host. It counts, per source and
// tumbling event-time window, the distinct names answered NXDOMAIN (a
// 1024-bit bitmap, so retries and search-list repeats of one name count
// once) and the share of answered lookups that were NXDOMAIN. It raises at
// most once per source and window. It must not do I/O, read the clock or
// keep state beyond max_keys sources.
//
// Not counted: lookups without an answer, reverse-map (.arpa) names and
// names that start with a reversed IPv4 address (DNSBL lookups, answered
// NXDOMAIN for every address not listed), and names the intel stage tags
// with one of exempt_categories (hash-based reputation services).
//
// A source for which dga_volume was raised (the dga detector runs before
// this one and judges the same failures more closely) within the last two
// windows is not raised again: the DGA alert already explains its burst of
// NXDOMAIN answers.
//
// # Defaults
//
// min_names 40 distinct NXDOMAIN names in 10 minutes and min_ratio 0.3.
// DGA families try hundreds to thousands of names a day, mostly in bursts
// of tens per minute; a benign host's NXDOMAIN names (search-list
// expansion of the few sites it uses, typos, Chrome's three start-up
// probes) stay in the low tens per 10 minutes, and a busy host's share of
// NXDOMAIN stays low. Measured in the tests: a burst at 2 names/s is
// reported at its 40th name; search-list expansion over 25 sites, a mail
// server's DNSBL lookups, unconfigured PTR zones and 10% NXDOMAIN on a
// busy host stay silent.
package nxdomain
