//go:build nfr_inject_panic

package flb

import (
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/netflightrecorder/nfr/scoring"
)

// In the test build SIGQUIT logs every goroutine's stack, so that a test
// which finds the plugin hung can show where (in a c-shared library the
// Go runtime leaves SIGQUIT to the host unless asked).
func init() {
	quit := make(chan os.Signal, 1)
	signal.Notify(quit, syscall.SIGQUIT)
	go func() {
		for range quit {
			buf := make([]byte, 1<<20)
			os.Stderr.Write(buf[:runtime.Stack(buf, true)])
		}
	}()
}

func init() {
	onAlert = func(a *scoring.Alert) {
		if strings.HasPrefix(a.Event.DNS.Query, InjectPanicPrefix) {
			panic("injected panic while scoring " + a.Event.DNS.Query)
		}
	}
}
