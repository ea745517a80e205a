package main

import (
	"fmt"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/netflightrecorder/nfr/scoring"
	"github.com/netflightrecorder/nfr/sniffer"
	"github.com/netflightrecorder/nfr/sniffer/forward"
)

// metrics are nfr-sniffer's Prometheus metrics. Counters the capture loop
// updates are atomics read by collector functions.
type metrics struct {
	reg       *prometheus.Registry
	records   [scoring.TypeTLS + 1]atomic.Uint64
	malformed *prometheus.CounterVec
	forward   *forward.Client
}

func newMetrics(c *sniffer.Capture) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.malformed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "nfr_sniffer_malformed_packets_total", Help: "Malformed packets by reason."}, []string{"reason"})
	m.reg.MustRegister(m.malformed,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "nfr_sniffer_packets_total", Help: "Packets read."},
			func() float64 { return float64(c.Packets()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nfr_sniffer_kernel_dropped_packets", Help: "Packets dropped by the kernel (pcap stats)."},
			func() float64 { _, d, _ := c.KernelStats(); return float64(d) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nfr_sniffer_interface_dropped_packets", Help: "Packets dropped by the interface (pcap stats)."},
			func() float64 { _, _, d := c.KernelStats(); return float64(d) }),
	)
	for _, t := range []scoring.EventType{scoring.TypeDNS, scoring.TypeFlow, scoring.TypeICMP} {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "nfr_sniffer_records_total", Help: "Records produced by type.",
			ConstLabels: prometheus.Labels{"type": sniffer.RecordType(&scoring.Event{Type: t})}},
			func() float64 { return float64(m.records[t].Load()) }))
	}
	return m
}

func (m *metrics) record(ev *scoring.Event) {
	if int(ev.Type) < len(m.records) {
		m.records[ev.Type].Add(1)
	}
}

func (m *metrics) count(t scoring.EventType) uint64 { return m.records[t].Load() }

// watchForward adds the Forward client's counters.
func (m *metrics) watchForward(c *forward.Client) {
	m.forward = c
	counter := func(name, help string, f func(forward.Stats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return f(c.Stats()) })
	}
	gauge := func(name, help string, f func(forward.Stats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(c.Stats()) })
	}
	m.reg.MustRegister(
		counter("nfr_sniffer_forward_records_delivered_total", "Records acked by the receiver.", func(s forward.Stats) float64 { return float64(s.AckedRecords) }),
		counter("nfr_sniffer_forward_bytes_sent_total", "Bytes written to the receiver.", func(s forward.Stats) float64 { return float64(s.BytesSent) }),
		counter("nfr_sniffer_forward_failures_total", "Failed connects, writes and ack waits.", func(s forward.Stats) float64 { return float64(s.Failures) }),
		counter("nfr_sniffer_forward_connects_total", "Connections made.", func(s forward.Stats) float64 { return float64(s.Connects) }),
		counter("nfr_sniffer_spool_chunks_written_total", "Chunks written to the disk spool.", func(s forward.Stats) float64 { return float64(s.Spool.SpooledChunks) }),
		counter("nfr_sniffer_spool_dropped_records_total", "Records dropped beyond the spool cap.", func(s forward.Stats) float64 { return float64(s.Spool.DroppedRecords) }),
		gauge("nfr_sniffer_spool_bytes", "Bytes in the disk spool.", func(s forward.Stats) float64 { return float64(s.Spool.DiskBytes) }),
		gauge("nfr_sniffer_spool_chunks", "Chunks queued (memory and disk).", func(s forward.Stats) float64 { return float64(s.Spool.DiskChunks + s.Spool.MemChunks) }),
	)
}

// serve starts the metrics endpoint (before privileges are dropped, so
// that any port can be used).
func (m *metrics) serve(addr string) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	go http.Serve(ln, mux)
	return nil
}
