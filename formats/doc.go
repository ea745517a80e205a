// Package formats turns what nfr reads into scoring.Events and what it
// writes out of scoring.Alerts. Sub-packages decode one input family each
// (zeek, msdns, suricata, domains), map already-parsed records (record),
// read threat feeds (feeds), encode alerts (alert) and deliver them (sink).
//
// This package holds the shared contract: a Source yields events, and bad
// input is reported as a *LineError that says where and why, is counted,
// and never stops decoding. Nothing here scores; nothing here panics on
// hostile input.
package formats
