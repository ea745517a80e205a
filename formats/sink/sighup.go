package sink

import (
	"os"
	"os/signal"
	"syscall"
)

// OnSIGHUP calls reload (typically a Pipeline's Reload, or Outputs.Reopen)
// each time the process receives SIGHUP, what logrotate's postrotate
// sends, reporting failures through logf, until stop is called. The
// process wires it; sinks never catch signals.
func OnSIGHUP(reload func() error, logf func(string, ...any)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ch:
				if err := reload(); err != nil && logf != nil {
					logf("SIGHUP: %v", err)
				}
			case <-quit:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
		<-done
	}
}
