package serve

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the sidecar's Prometheus series, on a registry of its own.
type metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	received       prometheus.Counter
	accepted       prometheus.Counter
	rejected       *prometheus.CounterVec
	scored         prometheus.Counter
	alerts         *prometheus.CounterVec
	deliveryErrors prometheus.Counter
	refused        *prometheus.CounterVec
}

func newMetrics(queueDepth, budgetInUse func() float64) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nfr_serve_requests_total",
			Help: "HTTP requests to /v1/events by status code."}, []string{"code"}),
		received: prometheus.NewCounter(prometheus.CounterOpts{Name: "nfr_serve_records_received_total",
			Help: "Records received."}),
		accepted: prometheus.NewCounter(prometheus.CounterOpts{Name: "nfr_serve_events_accepted_total",
			Help: "Records accepted for scoring."}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nfr_serve_records_rejected_total",
			Help: "Records rejected, by reason."}, []string{"reason"}),
		scored: prometheus.NewCounter(prometheus.CounterOpts{Name: "nfr_serve_events_scored_total",
			Help: "Events scored."}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nfr_alerts_total",
			Help: "Alerts raised, by threat."}, []string{"threat"}),
		deliveryErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "nfr_serve_delivery_errors_total",
			Help: "Failed attempts to deliver alerts to a sink (retried)."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nfr_serve_connections_refused_total",
			Help: "Connections closed at once because max_connections were open, by listener."}, []string{"listener"}),
	}
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nfr_serve_queue_depth",
		Help: "Events accepted and waiting for scoring."}, queueDepth)
	inUse := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nfr_serve_memory_budget_bytes",
		Help: "Bytes of records decoded and not yet scored, held against serve.memory_budget."}, budgetInUse)
	m.reg.MustRegister(m.requests, m.received, m.accepted, m.rejected, m.scored, m.alerts, m.deliveryErrors, depth,
		m.refused, inUse, collectors.NewGoCollector())
	return m
}

func (m *metrics) count(received, accepted int, rejected map[string]int64) {
	m.received.Add(float64(received))
	m.accepted.Add(float64(accepted))
	for reason, n := range rejected {
		m.rejected.WithLabelValues(reason).Add(float64(n))
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
