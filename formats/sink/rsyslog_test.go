package sink

import "github.com/netflightrecorder/nfr/formats/sink/sinktest"

// The real receivers live in sinktest, shared with the commands' tests.
type (
	rsyslog   = sinktest.Rsyslog
	testCerts = sinktest.Certs
)

var (
	startRsyslog     = sinktest.StartRsyslog
	startRsyslogWith = sinktest.StartRsyslogWith
	makeCerts        = sinktest.MakeCerts
	freePort         = sinktest.FreePort
	rsyslogModule    = sinktest.RsyslogModule
)
