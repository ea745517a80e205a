// Package scan detects port scans (one source, many ports of one
// destination: port_scan) and address scans (one source, many destinations
// on one port: address_scan) from connection summaries (Zeek conn.log,
// Suricata flows, the sniffer's flows). It raises each at most once per key
// and event-time window. It must not do I/O, read the clock or keep state
// beyond max_keys keys of each kind.
//
// # Threshold random walk
//
// Each (source, destination) and (source, port) key runs the sequential
// hypothesis test of Jung, Paxson, Berger and Balakrishnan, "Fast Portscan
// Detection Using Sequential Hypothesis Testing" (2004), over first
// contacts: the first attempt on each distinct port (resp. destination) in
// the window. A failed first contact (Zeek S0, REJ, RSTOS0, RSTRH, SH, SHR;
// with no state, no packet back) adds ln((1-theta1)/(1-theta0)), a
// successful one adds ln(theta1/theta0), and the walk is floored at the
// benign threshold ln((1-PD)/(1-PF)) so an old run of successes cannot
// mask a later scan. It reports a scanner when it reaches ln(PD/PF) and at
// least min_ports distinct ports (resp. min_hosts destinations) were
// tried. Repeated attempts on the same target (retries) do not move it.
// OTH flows (no SYN seen) are ignored, except a bare probe the responder
// reset (history "r" or "Fr", no payload, at most two packets): nmap's
// NULL, FIN and Xmas probes, counted as refused.
//
// ICMP echo flows (Zeek, Suricata: the echo type in the source port) feed
// the (source, echo) address-scan walk, an unanswered echo being a failed
// first contact: a ping sweep is reported like any address scan.
//
// # Defaults
//
// theta0 (benign_success) 0.9, theta1 (scanner_success) 0.2, PD 0.99, PF
// 0.01: each failed first contact adds 2.08, each success subtracts 1.50,
// and 4.6 is needed, so three failures in a row suffice statistically.
// Jung et al. used theta0 = 0.8 for hosts; a benign client rarely tries a
// port that a live host refuses, so 0.9 is used for both. min_ports 6 and
// min_hosts 10 keep clients that try a few fallback ports or a few dead
// peers silent; measured: nmap's default scan is reported after 6 to 12
// ports, a 7-port scan with 2 open ports and FIN/NULL/Xmas probes (the
// corpus's tcp_scan.pcapng) at its 6th port, a /24
// sweep on 445 after 10 hosts; browsing (5% dead hosts), passive FTP
// (hundreds of successful data ports) and a refused service retried on one
// port stay silent.
package scan
