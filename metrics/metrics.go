// Package metrics is the node's Prometheus registry and the instruments
// every request passes through: requests by route and status, and their
// latency. Other packages add their own figures (the cluster's role and
// replication position; caches, buffered counts and queues) with Register.
package metrics

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// storeKey holds the node's *state in app.Store(): one registry per app,
// so test apps never share figures and a package can register its
// collectors before or after the routes are bound.
const storeKey = "linkbaseMetrics"

// state is one app's registry and request instruments.
type state struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func of(app core.App) *state {
	return app.Store().GetOrSet(storeKey, func() any { return newState() }).(*state)
}

func newState() *state {
	s := &state{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkbase_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "linkbase_http_request_duration_seconds",
			Help:    "Time from the request reaching the router to its answer, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
	}
	s.registry.MustRegister(
		s.requests, s.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return s
}

// Register adds collectors to app's registry. It is how a package plugs its
// figures into GET /api/metrics (cache hit ratios, buffered counts, flush
// lag, the hashing queue, the node's role); a second collector with the same
// metric name is an error, as in Prometheus.
func Register(app core.App, cs ...prometheus.Collector) error {
	reg := of(app).registry
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// MustRegister is Register for collectors whose names are fixed in the
// code, where a clash is a programming error.
func MustRegister(app core.App, cs ...prometheus.Collector) {
	if err := Register(app, cs...); err != nil {
		panic(err)
	}
}

// Gatherer is app's registry, for tests and tools that read the figures
// without HTTP.
func Gatherer(app core.App) prometheus.Gatherer {
	return of(app).registry
}
