package sniffer

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/pcap"

	"github.com/netflightrecorder/nfr/formats"
	"github.com/netflightrecorder/nfr/scoring"
)

// Capture reads packets through libpcap, from a file or an interface, and
// yields the decoder's events. It implements formats.Source.
type Capture struct {
	handle  *pcap.Handle
	link    int
	live    bool
	dec     *Decoder
	stop    atomic.Bool
	done    bool
	packets atomic.Uint64
}

// LiveConfig says how to open an interface.
type LiveConfig struct {
	Interface  string
	Filter     string // BPF
	Snaplen    int
	Promisc    bool
	BufferSize int // kernel buffer in bytes, 0 for libpcap's default
}

// readTimeout is how long a live read waits before the capture checks for
// Stop and advances the flow timers.
const readTimeout = 200 * time.Millisecond

// OpenFile opens a pcap or pcapng file ("-" for standard input) with the
// default options. The returned Source also has Close() error.
func OpenFile(path string) (formats.Source, error) {
	return OpenFileWith(path, Options{})
}

// OpenFileWith opens a pcap or pcapng file with the given options.
func OpenFileWith(path string, opts Options) (*Capture, error) {
	h, err := pcap.OpenOffline(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Capture{handle: h, link: int(h.LinkType()), dec: NewDecoder(path, opts)}, nil
}

// OpenLive opens an interface for capture. Close it to release it.
func OpenLive(cfg LiveConfig, opts Options) (*Capture, error) {
	in, err := pcap.NewInactiveHandle(cfg.Interface)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", cfg.Interface, err)
	}
	defer in.CleanUp()
	snap := cfg.Snaplen
	if snap <= 0 {
		snap = 65535
	}
	steps := []error{in.SetSnapLen(snap), in.SetPromisc(cfg.Promisc), in.SetTimeout(readTimeout)}
	if cfg.BufferSize > 0 {
		steps = append(steps, in.SetBufferSize(cfg.BufferSize))
	}
	if err := errors.Join(steps...); err != nil {
		return nil, fmt.Errorf("interface %s: %w", cfg.Interface, err)
	}
	h, err := in.Activate()
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", cfg.Interface, err)
	}
	if cfg.Filter != "" {
		if err := h.SetBPFFilter(cfg.Filter); err != nil {
			h.Close()
			return nil, fmt.Errorf("filter %q: %w", cfg.Filter, err)
		}
	}
	return &Capture{handle: h, link: int(h.LinkType()), live: true, dec: NewDecoder(cfg.Interface, opts)}, nil
}

// SetFilter applies a BPF filter (tcpdump syntax), to files as well.
func (c *Capture) SetFilter(expr string) error {
	if err := c.handle.SetBPFFilter(expr); err != nil {
		return fmt.Errorf("filter %q: %w", expr, err)
	}
	return nil
}

// Next fills ev with the next event. See formats.Source.
func (c *Capture) Next(ev *scoring.Event) error {
	for {
		ev.Reset()
		if ok, err := c.dec.Next(ev); ok {
			return err
		}
		if c.done {
			return io.EOF
		}
		if err := c.read(); err != nil {
			return err
		}
	}
}

// read feeds one packet (or a timer tick, or the end of input) to the decoder.
func (c *Capture) read() error {
	if c.stop.Load() {
		c.finish()
		return nil
	}
	data, ci, err := c.handle.ZeroCopyReadPacketData()
	switch {
	case err == nil:
		c.packets.Add(1)
		c.dec.Packet(ci.Timestamp, c.link, data)
		return nil
	case err == io.EOF:
		c.finish()
		return nil
	case errors.Is(err, pcap.NextErrorTimeoutExpired):
		if c.stop.Load() {
			c.finish()
		} else {
			c.dec.Tick(time.Now())
		}
		return nil
	}
	if c.stop.Load() {
		c.finish()
		return nil
	}
	return fmt.Errorf("read packet: %w", err)
}

func (c *Capture) finish() {
	c.dec.Flush()
	c.done = true
}

// Packets counts packets read; safe to call from another goroutine.
func (c *Capture) Packets() uint64 { return c.packets.Load() }

// Stop makes a capture end: Next flushes the open flows and then
// returns io.EOF. Safe to call from another goroutine.
func (c *Capture) Stop() { c.stop.Store(true) }

// Stats counts packets, events and malformed packets by reason.
func (c *Capture) Stats() *formats.Stats { return c.dec.Stats() }

// KernelStats returns libpcap's counters (packets received and dropped by
// the kernel and the interface); zeros for files.
func (c *Capture) KernelStats() (received, dropped, ifDropped int) {
	if !c.live {
		return 0, 0, 0
	}
	s, err := c.handle.Stats()
	if err != nil {
		return 0, 0, 0
	}
	return s.PacketsReceived, s.PacketsDropped, s.PacketsIfDropped
}

// Close releases the capture.
func (c *Capture) Close() error {
	c.handle.Close()
	return nil
}
