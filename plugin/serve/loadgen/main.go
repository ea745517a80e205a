// Command loadgen drives a running `nfr serve` for the sidecar benchmark
// (build/bench.d/serve.sh): it reads NDJSON lines (stdin or -in), sends
// them over HTTP in POST bodies of -batch lines or as one NDJSON stream
// per connection over TCP, waits until the server has scored them all
// (its /metrics counter), and prints the server process's CPU time
// (utime+stime from /proc/PID/stat, taken before the first byte and after
// the last event is scored) and events per CPU-second. The client runs in
// a process of its own, so its CPU is not counted.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// retried counts the bodies refused with 503 and sent again.
var retried atomic.Int64

func main() {
	in := flag.String("in", "-", "NDJSON file to send (- for stdin)")
	base := flag.String("http", "http://127.0.0.1:8686", "the server's HTTP base URL (POST /v1/events, GET /metrics)")
	tcp := flag.String("tcp", "", "stream over this TCP address instead of posting")
	batch := flag.Int("batch", 1000, "lines per POST body")
	conns := flag.Int("conns", 2, "concurrent connections")
	pid := flag.Int("pid", 0, "the server's process id (for its CPU time)")
	flag.Parse()
	if err := run(*in, *base, *tcp, *batch, *conns, *pid); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(in, base, tcp string, batch, conns, pid int) error {
	var data []byte
	var err error
	if in == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(in)
	}
	if err != nil {
		return err
	}
	lines := bytes.Count(data, []byte("\n"))
	// Bodies of batch lines each, cut once before the clock starts.
	var bodies [][]byte
	for rest := data; len(rest) > 0; {
		end := 0
		for i := 0; i < batch && end < len(rest); i++ {
			nl := bytes.IndexByte(rest[end:], '\n')
			if nl < 0 {
				end = len(rest)
				break
			}
			end += nl + 1
		}
		bodies = append(bodies, rest[:end])
		rest = rest[end:]
	}
	before, err := scored(base)
	if err != nil {
		return err
	}
	cpu0, err := cpuTime(pid)
	if err != nil {
		return err
	}
	start := time.Now()
	if tcp != "" {
		err = stream(tcp, bodies, conns)
	} else {
		err = post(base+"/v1/events", bodies, conns)
	}
	if err != nil {
		return err
	}
	for {
		n, err := scored(base)
		if err != nil {
			return err
		}
		if n-before >= int64(lines) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	wall := time.Since(start)
	cpu1, err := cpuTime(pid)
	if err != nil {
		return err
	}
	cpu := cpu1 - cpu0
	fmt.Printf("events %d wall %.2fs server-cpu %.2fs events/s %.0f events/cpu-s %.0f retried %d\n",
		lines, wall.Seconds(), cpu.Seconds(), float64(lines)/wall.Seconds(), float64(lines)/cpu.Seconds(), retried.Load())
	return nil
}

// post sends the bodies over conns keep-alive connections.
func post(url string, bodies [][]byte, conns int) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}}
	next := make(chan []byte)
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range next {
				for {
					resp, err := client.Post(url, "application/x-ndjson", bytes.NewReader(body))
					if err != nil {
						errs <- err
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusServiceUnavailable { // queue or budget full: retry, as Vector does
						retried.Add(1)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					if resp.StatusCode != http.StatusOK {
						errs <- fmt.Errorf("POST: status %d", resp.StatusCode)
						return
					}
					break
				}
			}
		}()
	}
	for _, b := range bodies {
		select {
		case next <- b:
		case err := <-errs:
			close(next)
			return err
		}
	}
	close(next)
	return wait(&wg, errs)
}

// stream writes the bodies over conns TCP connections, in turn.
func stream(addr string, bodies [][]byte, conns int) error {
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for c := range conns {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			w := bufio.NewWriterSize(conn, 256<<10)
			for i := c; i < len(bodies); i += conns {
				if _, err := w.Write(bodies[i]); err != nil {
					errs <- err
					return
				}
			}
			if err := w.Flush(); err != nil {
				errs <- err
			}
		}()
	}
	return wait(&wg, errs)
}

// wait waits for the senders and returns the first error any reported.
func wait(wg *sync.WaitGroup, errs chan error) error {
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// scored reads nfr_serve_events_scored_total from /metrics.
func scored(base string) (int64, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "nfr_serve_events_scored_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return int64(f), err
		}
	}
	return 0, errors.New("no nfr_serve_events_scored_total in /metrics")
}

// cpuTime is utime+stime of process pid (clock ticks of 10 ms).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses: state is
	// field 3, utime 14 and stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("unexpected /proc/PID/stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("unexpected /proc/PID/stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(u+s) * 10 * time.Millisecond, nil
}
