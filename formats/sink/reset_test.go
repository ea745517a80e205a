package sink

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// resetReceiver is a TCP syslog receiver that, on its first connection,
// reads `cut` messages and then closes with unread data pending, which
// makes Linux send a reset: whatever sat in its socket buffer is lost.
// Later connections are read to the end.
type resetReceiver struct {
	ln       net.Listener
	cut      int
	graceful bool // close with a FIN instead of a reset
	mu       sync.Mutex
	msgs     []string
	wg       sync.WaitGroup
}

func newResetReceiver(t *testing.T, cut int) *resetReceiver {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &resetReceiver{ln: ln, cut: cut}
	r.wg.Add(1)
	go r.serve()
	t.Cleanup(func() { ln.Close(); r.wg.Wait() })
	return r
}

func (r *resetReceiver) serve() {
	defer r.wg.Done()
	for first := true; ; first = false {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		limit := -1
		if first {
			limit = r.cut
		}
		r.wg.Add(1)
		go r.read(c.(*net.TCPConn), limit)
	}
}

func (r *resetReceiver) read(c *net.TCPConn, limit int) {
	defer r.wg.Done()
	defer c.Close()
	br := bufio.NewReader(c)
	for n := 0; limit < 0 || n < limit; n++ {
		size, err := br.ReadString(' ')
		if err != nil {
			return
		}
		l, _ := strconv.Atoi(strings.TrimSpace(size))
		msg := make([]byte, l)
		if _, err := io.ReadFull(br, msg); err != nil {
			return
		}
		r.mu.Lock()
		r.msgs = append(r.msgs, string(msg))
		r.mu.Unlock()
	}
	if !r.graceful {
		c.SetLinger(0) // reset, dropping what is buffered unread
	}
}

func (r *resetReceiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// A receiver that resets the connection loses what it had not read: the
// sink cannot know how much, so it replays its whole ring. Nothing is
// lost and duplicates stay within the ring size.
func TestResetReplaysRing(t *testing.T) {
	r := newResetReceiver(t, 300)
	o := syslogOutput("syslog+tcp", r.ln.Addr().String(), "json")
	o.Syslog.Buffer = 500
	s, err := Open(o, Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	const n, batch = 2000, 10
	// Paced so that the receiver keeps up: what it leaves unread when it
	// resets stays within the ring.
	sendAll(t, s, 0, n, batch, time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	r.ln.Close()
	r.wg.Wait()
	counts := uidCounts(t, r.received(), "json")
	st := s.(*SyslogSink).Stats()
	dups := 0
	for _, c := range counts {
		dups += c - 1
	}
	t.Logf("stats %+v, %d duplicates", st, dups)
	checkAllOnceOrMore(t, counts, n)
	if st.Reconnects != 1 || st.Replayed == 0 {
		t.Errorf("want one reconnect with a replay: %+v", st)
	}
	if dups > o.Syslog.Buffer+batch {
		t.Errorf("%d duplicates, promise is at most %d", dups, o.Syslog.Buffer+batch)
	}
}

func checkAllOnceOrMore(t *testing.T, counts map[string]int, n int) {
	t.Helper()
	lost := 0
	for i := 0; i < n; i++ {
		if counts[seqUID(i)] == 0 {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d alerts lost", lost, n)
	}
}

// Close replays what a reset connection may have lost before confirming.
func TestCloseReplaysAfterReset(t *testing.T) {
	r := newResetReceiver(t, 50)
	s, err := Open(syslogOutput("syslog+tcp", r.ln.Addr().String(), "json"), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(seqAlerts(0, 100)); err != nil {
		t.Fatal(err)
	}
	ss := s.(*SyslogSink)
	for !connGone(ss) { // the receiver resets after 50 messages
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	r.ln.Close()
	r.wg.Wait()
	counts := uidCounts(t, r.received(), "json")
	checkAllOnceOrMore(t, counts, 100)
	if st := ss.Stats(); st.Replayed != 100 || st.Reconnects != 1 {
		t.Errorf("stats %+v", st)
	}
}

func connGone(s *SyslogSink) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn == nil || s.conn.gone()
}

// A receiver that closes cleanly had read everything its kernel
// acknowledged, so nothing is replayed: exactly once across the reconnect.
func TestCleanCloseReplaysNothingAcknowledged(t *testing.T) {
	for _, batch := range []int{1, 40} {
		r := newResetReceiver(t, 40)
		r.graceful = true
		s, err := Open(syslogOutput("syslog+tcp", r.ln.Addr().String(), "json"), Options{Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		sendAll(t, s, 0, 40, batch, 0) // exactly what the receiver reads
		ss := s.(*SyslogSink)
		for !connGone(ss) {
			time.Sleep(10 * time.Millisecond)
		}
		sendAll(t, s, 40, 60, batch, 0)
		if err := s.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
		r.ln.Close()
		r.wg.Wait()
		counts := uidCounts(t, r.received(), "json")
		checkExactlyOnce(t, counts, 100, 1)
		if st := ss.Stats(); st.Replayed != 0 || st.Reconnects != 1 {
			t.Errorf("batch %d: stats %+v, want one reconnect and no replay", batch, st)
		}
	}
}
