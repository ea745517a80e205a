package record

import "bytes"

// fieldID identifies a key the Mapper understands. Several spellings
// (Zeek, Suricata, regex group names without dots) map to one id.
type fieldID uint8

const (
	fNone fieldID = iota
	fTS
	fTimestamp // Suricata's ISO 8601 "timestamp"
	fPath      // Zeek JSON "_path"
	fType      // nfr-sniffer "_type"
	fEventType // Suricata "event_type"
	fUID
	fFlowID
	fOrigH
	fOrigP
	fRespH
	fRespP
	fProto
	fRaw         // "log" or "message": an unparsed log line
	fShipperTime // "date", "@timestamp": when a shipper stamped the record

	// DNS (Zeek names; Suricata and MS DNS spellings alias onto these).
	fTransID
	fRTT
	fQuery
	fQClass
	fQType
	fQTypeName
	fRcode
	fRcodeName
	fAA
	fTC
	fRD
	fRA
	fAnswers
	fAnswersList // comma-separated, from a regex over Zeek TSV
	fTTLs
	fTTLsList
	fIsResponse
	fAuth
	fRespLen

	// Flows.
	fService
	fDuration
	fOrigBytes
	fRespBytes
	fOrigPkts
	fRespPkts
	fConnState
	fHistory
	fApp
	fAppConfidence
	fAppEvidence
	fLocalOrig
	fLocalResp

	// ICMP (nfr-sniffer).
	fICMPType
	fICMPCode
	fICMPID
	fICMPSeq
	fPayloadLen
	fPayloadEntropy
	fPayloadDigest

	// HTTP.
	fMethod
	fHost
	fURI
	fReferrer
	fUserAgent
	fStatus
	fReqBodyLen
	fRespBodyLen
	fMimeType
	fMimeTypesList

	// TLS.
	fVersion
	fServerName
	fJA3
	fJA3S
	fSubject
	fIssuer
	fValidation
	fEstablished
	fNotBefore
	fNotAfter

	// Suricata-only DNS and flow keys.
	fSDNSType
	fSDNSQR
	fSDNSRData     // v1 answer record: one rdata
	fSDNSTTL       // v1 answer record: one ttl
	fSDNSAnsRData  // v2 answers[].rdata
	fSDNSAnsTTL    // v2 answers[].ttl
	fSDNSQueryName // v3 queries[].rrname
	fSDNSQueryType // v3 queries[].rrtype
	fSDNSGrouped   // v2 grouped.<TYPE>[]
	fFlowStart
	fFlowEnd
	fFlowAge
	fTCPFlagsTS // Suricata tcp.tcp_flags_ts: TCP flags seen to the server (hex)
	fTCPFlagsTC // Suricata tcp.tcp_flags_tc: to the client

	// MS DNS debug log (the names of the parsers.conf regex groups).
	fMSTime
	fMSThread
	fMSPacketID
	fMSTransport
	fMSDirection
	fMSRemote
	fMSXID
	fMSQR
	fMSOpcode
	fMSFlagsHex
	fMSFlagsChar
	fMSQName

	numFields
)

// group bits say what kind of record a key suggests.
type group uint16

const (
	gDNS group = 1 << iota
	gFlow
	gICMP
	gHTTP
	gTLS
	gMSDNS
	gSuricata
	gSniffer
	gAddr // an address key: the record is structured, not a raw line
)

// lookupField maps a (flattened) key to its id. It does not allocate.
func lookupField(key []byte) fieldID {
	switch string(key) {
	case "ts":
		return fTS
	case "timestamp":
		return fTimestamp
	case "_path":
		return fPath
	case "_type":
		return fType
	case "event_type":
		return fEventType
	case "uid":
		return fUID
	case "flow_id":
		return fFlowID
	case "id.orig_h", "id_orig_h", "src_ip":
		return fOrigH
	case "id.orig_p", "id_orig_p", "src_port":
		return fOrigP
	case "id.resp_h", "id_resp_h", "dest_ip":
		return fRespH
	case "id.resp_p", "id_resp_p", "dest_port":
		return fRespP
	case "proto":
		return fProto
	case "log", "message":
		return fRaw
	case "date", "@timestamp":
		return fShipperTime

	case "trans_id", "dns.id":
		return fTransID
	case "rtt":
		return fRTT
	case "query", "dns.rrname":
		return fQuery
	case "qclass":
		return fQClass
	case "qtype":
		return fQType
	case "qtype_name", "dns.rrtype":
		return fQTypeName
	case "rcode":
		return fRcode
	case "rcode_name", "dns.rcode":
		return fRcodeName
	case "AA", "dns.aa":
		return fAA
	case "TC", "dns.tc":
		return fTC
	case "RD", "dns.rd":
		return fRD
	case "RA", "dns.ra":
		return fRA
	case "answers":
		return fAnswers
	case "answers_list":
		return fAnswersList
	case "TTLs":
		return fTTLs
	case "TTLs_list":
		return fTTLsList
	case "is_response":
		return fIsResponse
	case "auth":
		return fAuth
	case "resp_len":
		return fRespLen

	case "service", "app_proto":
		return fService
	case "duration":
		return fDuration
	case "orig_bytes", "flow.bytes_toserver":
		return fOrigBytes
	case "resp_bytes", "flow.bytes_toclient":
		return fRespBytes
	case "orig_pkts", "flow.pkts_toserver":
		return fOrigPkts
	case "resp_pkts", "flow.pkts_toclient":
		return fRespPkts
	case "conn_state":
		return fConnState
	case "history":
		return fHistory
	case "app":
		return fApp
	case "app_confidence":
		return fAppConfidence
	case "app_evidence":
		return fAppEvidence
	case "local_orig":
		return fLocalOrig
	case "local_resp":
		return fLocalResp

	case "icmp_type":
		return fICMPType
	case "icmp_code":
		return fICMPCode
	case "icmp_id":
		return fICMPID
	case "icmp_seq":
		return fICMPSeq
	case "payload_len":
		return fPayloadLen
	case "payload_entropy":
		return fPayloadEntropy
	case "payload_digest":
		return fPayloadDigest

	case "method", "http.http_method":
		return fMethod
	case "host", "http.hostname":
		return fHost
	case "uri", "http.url":
		return fURI
	case "referrer", "http.http_refer":
		return fReferrer
	case "user_agent", "http.http_user_agent":
		return fUserAgent
	case "status_code", "http.status":
		return fStatus
	case "request_body_len":
		return fReqBodyLen
	case "response_body_len", "http.length":
		return fRespBodyLen
	case "resp_mime_types", "http.http_content_type":
		return fMimeType
	case "resp_mime_types_list":
		return fMimeTypesList

	case "version", "tls.version":
		return fVersion
	case "server_name", "tls.sni":
		return fServerName
	case "ja3", "tls.ja3.hash":
		return fJA3
	case "ja3s", "tls.ja3s.hash":
		return fJA3S
	case "subject", "tls.subject":
		return fSubject
	case "issuer", "tls.issuerdn":
		return fIssuer
	case "validation_status":
		return fValidation
	case "established":
		return fEstablished
	case "tls.notbefore":
		return fNotBefore
	case "tls.notafter":
		return fNotAfter

	case "dns.type":
		return fSDNSType
	case "dns.qr":
		return fSDNSQR
	case "dns.rdata":
		return fSDNSRData
	case "dns.ttl":
		return fSDNSTTL
	case "dns.answers.rdata":
		return fSDNSAnsRData
	case "dns.answers.ttl":
		return fSDNSAnsTTL
	case "dns.queries.rrname":
		return fSDNSQueryName
	case "dns.queries.rrtype":
		return fSDNSQueryType
	case "flow.start":
		return fFlowStart
	case "flow.end":
		return fFlowEnd
	case "flow.age":
		return fFlowAge
	case "tcp.tcp_flags_ts":
		return fTCPFlagsTS
	case "tcp.tcp_flags_tc":
		return fTCPFlagsTC

	case "datetime":
		return fMSTime
	case "thread":
		return fMSThread
	case "packet_id":
		return fMSPacketID
	case "transport":
		return fMSTransport
	case "direction":
		return fMSDirection
	case "remote":
		return fMSRemote
	case "xid":
		return fMSXID
	case "qr":
		return fMSQR
	case "opcode":
		return fMSOpcode
	case "flags_hex":
		return fMSFlagsHex
	case "flags_char":
		return fMSFlagsChar
	case "qname":
		return fMSQName
	}
	if bytes.HasPrefix(key, groupedPrefix) && bytes.IndexByte(key[len(groupedPrefix):], '.') < 0 {
		return fSDNSGrouped
	}
	return fNone
}

var groupedPrefix = []byte("dns.grouped.")
