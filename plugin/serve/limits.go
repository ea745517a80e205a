package serve

import (
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/netflightrecorder/nfr/formats/config"
	"github.com/netflightrecorder/nfr/formats/pipeline"
	"github.com/netflightrecorder/nfr/scoring/engine"
)

// limitListener closes connections beyond max open ones at once, so that a
// flood of clients cannot exhaust the process's descriptors.
type limitListener struct {
	net.Listener
	slots   chan struct{}
	refused func()
}

func newLimitListener(ln net.Listener, max int, refused func()) *limitListener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, max), refused: refused}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &limitConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
		default:
			c.Close()
			l.refused()
		}
	}
}

// limitConn frees its listener slot when closed.
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	c.release()
	return c.Conn.Close()
}

// rateReader moves a request's read deadline as its body arrives: the
// body must average min_rate bytes/s after a grace of read_timeout, so a
// client trickling bytes is cut off and its descriptor freed.
type rateReader struct {
	r       io.Reader
	rc      *http.ResponseController
	start   time.Time
	grace   time.Duration
	minRate int64
	n       int64
}

func newRateReader(r io.Reader, w http.ResponseWriter, grace time.Duration, minRate int64) *rateReader {
	rr := &rateReader{r: r, rc: http.NewResponseController(w), start: time.Now(), grace: grace, minRate: minRate}
	rr.rc.SetReadDeadline(rr.deadline())
	return rr
}

func (r *rateReader) deadline() time.Time {
	return r.start.Add(r.grace + time.Duration(r.n)*time.Second/time.Duration(r.minRate))
}

func (r *rateReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.n += int64(n)
		r.rc.SetReadDeadline(r.deadline())
	}
	return n, err
}

// rssBound is the growth of the sidecar's resident memory that docs/vector.md
// promises for a configuration. Bytes charged to the budget stay under
// twice memory_budget (the oldest request may go past the limit, by at
// most the limit), the Go heap may reach twice its live data before it
// collects, and each request being read and each open stream has buffers
// of its own outside the budget.
func rssBound(cfg config.Serve) int64 {
	perRequest := int64(256 << 10) // bufio, decompressor window and tables, JSON decoder
	perStream := cfg.MaxLine + 128<<10
	return 4*cfg.MemoryBudget + int64(cfg.MaxRequests)*perRequest + int64(cfg.MaxConnections)*perStream
}

// capMemory sets the process's soft memory limit (runtime/debug) to the
// memory the Go runtime holds now (which includes the heap's headroom the
// pipeline's build prefaulted, memory the heap would grow into in its
// first events anyway: about 21 MB with the defaults), plus state (the
// detector state at its capacity: its tables grow to it as keys arrive,
// after this is read), plus half of rssBound, unless GOMEMLIMIT is set:
// the collector then runs before the heap doubles its live data, which is
// the one term of the bound the budgets do not hold themselves. Live data
// stays under the limit (charged bytes under twice memory_budget, half the
// bound), so it costs collection time only under a flood; 32 concurrent
// maximum bodies grew RSS by about 210 MB with it against about 500 MB
// without (TestMemoryBudgetUnderConcurrentBodies, bound 616 MB).
func capMemory(cfg config.Serve, state int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	held, ok := pipeline.RuntimeMemory()
	if !ok {
		return
	}
	debug.SetMemoryLimit(held + state + rssBound(cfg)/2)
}

// stateBound is the memory the engine's bounded state holds at capacity
// (the sum of its StateStats.Bytes).
func stateBound(st engine.Stats) int64 {
	var n int64
	for _, s := range st.State {
		n += s.Bytes
	}
	return n
}
