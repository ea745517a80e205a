// Package lateral detects lateral movement: one internal source reaching
// many internal hosts over administrative protocols (SMB, MS-RPC, RDP,
// WinRM, SSH, Telnet) within an event-time window, from connection
// summaries. Attempts count whether or not they succeed: a worm or an
// operator with stolen credentials fans out before, and whether, it gets
// in. It raises lateral_movement at most once per source and window. It
// must not do I/O, read the clock or keep state beyond max_keys sources.
//
// Internal means inside internal_networks (default RFC 1918 and RFC 4193)
// or marked local by the input (Zeek local_orig/local_resp). Traffic from
// or to the outside is not lateral (scans from the internet are the scan
// detector's job).
//
// # Defaults
//
// min_hosts 10 distinct internal destinations in a 10 minute window. A
// workstation talks SMB/RPC to a handful of servers (file servers, domain
// controllers) and an administrator's SSH session to a few more; tools
// such as PsExec, Impacket or CrackMapExec over a subnet, or a worm, reach
// tens to hundreds of hosts within minutes. Management servers (patching,
// inventory, vulnerability scanners) legitimately fan out too: they are
// exempted with scope groups, not here.
package lateral
