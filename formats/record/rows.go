package record

// fieldRow is what the Mapper knows of one field besides its spellings
// (lookupField): the kinds of record it suggests and the setter that
// applies its values. Rows are indexed by field, so the order of the
// field constants does not matter.
type fieldRow struct {
	group group
	set   setter
}

// setter names the Mapper method that applies a field (a name rather than
// a func value, through which every value would escape to the heap).
type setter uint8

const (
	setterNone setter = iota
	setterCommon
	setterDNS
	setterFlowICMP
	setterHTTPTLS
	setterSuricata
	setterMSDNS
)

// fieldRows is the field table; a field without a row is a programming
// error caught by TestEveryFieldHasARow.
var fieldRows [numFields]fieldRow

func init() {
	fieldRows = [numFields]fieldRow{
		fTS:             {set: setterCommon},
		fTimestamp:      {group: gSuricata, set: setterCommon},
		fPath:           {set: setterCommon},
		fType:           {group: gSniffer, set: setterCommon},
		fEventType:      {group: gSuricata, set: setterCommon},
		fUID:            {set: setterCommon},
		fFlowID:         {group: gSuricata, set: setterCommon},
		fOrigH:          {group: gAddr, set: setterCommon},
		fOrigP:          {set: setterCommon},
		fRespH:          {group: gAddr, set: setterCommon},
		fRespP:          {set: setterCommon},
		fProto:          {set: setterCommon},
		fShipperTime:    {set: setterCommon},
		fRaw:            {set: setterCommon},
		fTransID:        {group: gDNS, set: setterDNS},
		fRTT:            {group: gDNS, set: setterDNS},
		fQuery:          {group: gDNS, set: setterDNS},
		fQClass:         {group: gDNS, set: setterDNS},
		fQType:          {group: gDNS, set: setterDNS},
		fQTypeName:      {group: gDNS, set: setterDNS},
		fRcode:          {group: gDNS, set: setterDNS},
		fRcodeName:      {group: gDNS, set: setterDNS},
		fAA:             {group: gDNS, set: setterDNS},
		fTC:             {group: gDNS, set: setterDNS},
		fRD:             {group: gDNS, set: setterDNS},
		fRA:             {group: gDNS, set: setterDNS},
		fAnswers:        {group: gDNS, set: setterDNS},
		fAnswersList:    {group: gDNS, set: setterDNS},
		fTTLs:           {group: gDNS, set: setterDNS},
		fTTLsList:       {group: gDNS, set: setterDNS},
		fIsResponse:     {group: gDNS, set: setterDNS},
		fAuth:           {group: gDNS, set: setterDNS},
		fRespLen:        {group: gDNS, set: setterDNS},
		fService:        {group: gFlow, set: setterFlowICMP},
		fDuration:       {group: gFlow, set: setterFlowICMP},
		fOrigBytes:      {group: gFlow, set: setterFlowICMP},
		fRespBytes:      {group: gFlow, set: setterFlowICMP},
		fOrigPkts:       {group: gFlow, set: setterFlowICMP},
		fRespPkts:       {group: gFlow, set: setterFlowICMP},
		fConnState:      {group: gFlow, set: setterFlowICMP},
		fHistory:        {group: gFlow, set: setterFlowICMP},
		fApp:            {group: gFlow, set: setterFlowICMP},
		fAppConfidence:  {group: gFlow, set: setterFlowICMP},
		fAppEvidence:    {group: gFlow, set: setterFlowICMP},
		fLocalOrig:      {group: gFlow, set: setterFlowICMP},
		fLocalResp:      {group: gFlow, set: setterFlowICMP},
		fICMPType:       {group: gICMP, set: setterFlowICMP},
		fICMPCode:       {group: gICMP, set: setterFlowICMP},
		fICMPID:         {group: gICMP, set: setterFlowICMP},
		fICMPSeq:        {group: gICMP, set: setterFlowICMP},
		fPayloadLen:     {group: gICMP, set: setterFlowICMP},
		fPayloadEntropy: {group: gICMP, set: setterFlowICMP},
		fPayloadDigest:  {group: gICMP, set: setterFlowICMP},
		fMethod:         {group: gHTTP, set: setterHTTPTLS},
		fHost:           {group: gHTTP, set: setterHTTPTLS},
		fURI:            {group: gHTTP, set: setterHTTPTLS},
		fReferrer:       {group: gHTTP, set: setterHTTPTLS},
		fUserAgent:      {group: gHTTP, set: setterHTTPTLS},
		fStatus:         {group: gHTTP, set: setterHTTPTLS},
		fReqBodyLen:     {group: gHTTP, set: setterHTTPTLS},
		fRespBodyLen:    {group: gHTTP, set: setterHTTPTLS},
		fMimeType:       {group: gHTTP, set: setterHTTPTLS},
		fMimeTypesList:  {group: gHTTP, set: setterHTTPTLS},
		fVersion:        {set: setterHTTPTLS},
		fServerName:     {group: gTLS, set: setterHTTPTLS},
		fJA3:            {group: gTLS, set: setterHTTPTLS},
		fJA3S:           {group: gTLS, set: setterHTTPTLS},
		fSubject:        {group: gTLS, set: setterHTTPTLS},
		fIssuer:         {group: gTLS, set: setterHTTPTLS},
		fValidation:     {group: gTLS, set: setterHTTPTLS},
		fEstablished:    {group: gTLS, set: setterHTTPTLS},
		fNotBefore:      {group: gTLS, set: setterHTTPTLS},
		fNotAfter:       {group: gTLS, set: setterHTTPTLS},
		fSDNSType:       {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSQR:         {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSRData:      {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSTTL:        {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSAnsRData:   {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSAnsTTL:     {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSQueryName:  {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSQueryType:  {group: gDNS | gSuricata, set: setterSuricata},
		fSDNSGrouped:    {group: gDNS | gSuricata, set: setterSuricata},
		fFlowStart:      {group: gFlow | gSuricata, set: setterSuricata},
		fFlowEnd:        {group: gFlow | gSuricata, set: setterSuricata},
		fFlowAge:        {group: gFlow | gSuricata, set: setterSuricata},
		fTCPFlagsTS:     {group: gFlow | gSuricata, set: setterSuricata},
		fTCPFlagsTC:     {group: gFlow | gSuricata, set: setterSuricata},
		fMSTime:         {group: gMSDNS, set: setterMSDNS},
		fMSThread:       {group: gMSDNS, set: setterMSDNS},
		fMSPacketID:     {group: gMSDNS, set: setterMSDNS},
		fMSTransport:    {group: gMSDNS, set: setterMSDNS},
		fMSDirection:    {group: gMSDNS, set: setterMSDNS},
		fMSRemote:       {group: gMSDNS, set: setterMSDNS},
		fMSXID:          {group: gMSDNS, set: setterMSDNS},
		fMSQR:           {group: gMSDNS, set: setterMSDNS},
		fMSOpcode:       {group: gMSDNS, set: setterMSDNS},
		fMSFlagsHex:     {group: gMSDNS, set: setterMSDNS},
		fMSFlagsChar:    {group: gMSDNS, set: setterMSDNS},
		fMSQName:        {group: gMSDNS, set: setterMSDNS},
	}
}
