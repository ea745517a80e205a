package sink

import (
	"os"
	"os/signal"
	"syscall"
)

// ReopenOnSIGHUP calls r.Reopen each time the process receives SIGHUP
// (what logrotate's postrotate sends), reporting failures through logf,
// until stop is called. The process wires it; sinks never catch signals.
func ReopenOnSIGHUP(r Reopener, logf func(string, ...any)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ch:
				if err := r.Reopen(); err != nil && logf != nil {
					logf("reopen on SIGHUP: %v", err)
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
