// Package record maps records that arrive already parsed (Fluent Bit
// chunks, Vector JSON, sniffer records) onto scoring.Events, through a
// streaming field visitor so that callers never build a map per record.
// It holds what every input dialect shares: values and converters, the
// JSON scanner, the reader of lines of text columns (Columns, ApplyLine:
// Zeek TSV), nfr's own (sniffer) keys, which follow Zeek's names, the
// detection of a record's dialect and the Mapper. Each dialect (formats/
// zeek, formats/suricata, formats/msdns) registers its field table, finish
// hook and line parser with Register; formats/dialects links them all.
// It must not do I/O.
package record

// Field names of nfr's own records (what nfr-sniffer emits and what the
// mappers read). They follow Zeek's names where Zeek has one; nested keys
// are flattened with "." ("id.orig_h"), as Zeek JSON writes them.
const (
	KeyType = "_type" // record type written by nfr-sniffer: "dns", "flow", "icmp", "tls"
	KeyTS   = "ts"    // epoch seconds (float) or ISO 8601
	KeyUID  = "uid"

	KeyOrigH = "id.orig_h"
	KeyOrigP = "id.orig_p"
	KeyRespH = "id.resp_h"
	KeyRespP = "id.resp_p"
	KeyProto = "proto" // "udp", "tcp", "icmp"

	// dns records (Zeek dns.log names; is_response is nfr's).
	KeyTransID    = "trans_id"
	KeyQuery      = "query"
	KeyQType      = "qtype"
	KeyQTypeName  = "qtype_name"
	KeyRcode      = "rcode"
	KeyRcodeName  = "rcode_name"
	KeyAnswers    = "answers"
	KeyTTLs       = "TTLs"
	KeyRTT        = "rtt"
	KeyAA         = "AA"
	KeyTC         = "TC"
	KeyRD         = "RD"
	KeyRA         = "RA"
	KeyIsResponse = "is_response"
	KeyAuthority  = "auth"
	KeyRespSize   = "resp_len"

	// flow records (Zeek conn.log names).
	KeyService   = "service"
	KeyDuration  = "duration"
	KeyOrigBytes = "orig_bytes"
	KeyRespBytes = "resp_bytes"
	KeyOrigPkts  = "orig_pkts"
	KeyRespPkts  = "resp_pkts"
	KeyConnState = "conn_state"
	KeyHistory   = "history"
	KeyLocalOrig = "local_orig"
	KeyLocalResp = "local_resp"
	// Application identified from the payload (nfr-sniffer): "tor",
	// "bittorrent", "wireguard", "openvpn", "ike", "monero", "stratum";
	// its confidence ("low", "medium", "high") and what matched.
	KeyApp           = "app"
	KeyAppConfidence = "app_confidence"
	KeyAppEvidence   = "app_evidence"

	// icmp records (nfr's names).
	KeyICMPType       = "icmp_type"
	KeyICMPCode       = "icmp_code"
	KeyICMPID         = "icmp_id"
	KeyICMPSeq        = "icmp_seq"
	KeyPayloadLen     = "payload_len"
	KeyPayloadEntropy = "payload_entropy"
	KeyPayloadDigest  = "payload_digest" // 16 hex digits

	// tls records (Zeek ssl.log names).
	KeyServerName = "server_name" // SNI, absent when the client sent none
	KeyVersion    = "version"     // "TLSv12", "TLSv13", ...
	KeyJA3        = "ja3"
	KeyJA3S       = "ja3s"
)
