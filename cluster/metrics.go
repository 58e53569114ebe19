package cluster

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// nodeMetrics are the node's figures on GET /api/metrics.
type nodeMetrics struct {
	role       *prometheus.GaugeVec
	replicated prometheus.Counter
	lag        prometheus.Histogram
	reloads    *prometheus.CounterVec
	forwarded  *prometheus.CounterVec
	handed     *prometheus.CounterVec // writes this replica handed to the primary
	applied    *prometheus.CounterVec // writes replicas handed this primary
}

func newNodeMetrics() *nodeMetrics {
	return &nodeMetrics{
		role: newRoleGauge(),
		replicated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "linkbase_cluster_replicated_transactions_total",
			Help: "Transactions of data.db replicated to this replica (LiteFS tx events).",
		}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "linkbase_cluster_replication_lag_seconds",
			Help:    "From the primary's commit to this replica seeing the transaction applied (clocks of both machines).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkbase_cluster_reloads_total",
			Help: "Reloads of PocketBase's settings or collections after replicated changes.",
		}, []string{"what"}),
		forwarded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkbase_cluster_forwarded_requests_total",
			Help: "Requests this replica forwarded to the primary, by outcome (forwarded, no_primary, loop, unreachable).",
		}, []string{"outcome"}),
		handed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkbase_cluster_handed_writes_total",
			Help: "Writes (batches of counts, login records) this replica handed to the primary, by kind and outcome (ok, failed).",
		}, []string{"kind", "outcome"}),
		applied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkbase_cluster_applied_writes_total",
			Help: "Writes replicas handed to this primary, applied (or found applied before), by kind.",
		}, []string{"kind"}),
	}
}

func (m *nodeMetrics) handedWrite(kind string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	m.handed.WithLabelValues(kind, outcome).Inc()
}

// Roles a node can have, the values of linkbase_node_role's label.
const (
	roleSingle  = "single"
	rolePrimary = "primary"
	roleReplica = "replica"
)

// newRoleGauge is linkbase_node_role: 1 for the node's role, 0 for the others.
func newRoleGauge() *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "linkbase_node_role",
		Help: "1 for this node's role (single, primary or replica), 0 for the others.",
	}, []string{"role"})
}

func setRole(g *prometheus.GaugeVec, role string) {
	for _, r := range []string{roleSingle, rolePrimary, roleReplica} {
		v := 0.0
		if r == role {
			v = 1
		}
		g.WithLabelValues(r).Set(v)
	}
}

func (m *nodeMetrics) setPrimary(isPrimary bool) {
	if isPrimary {
		setRole(m.role, rolePrimary)
	} else {
		setRole(m.role, roleReplica)
	}
}

func (m *nodeMetrics) sawTx(committed time.Time) {
	m.replicated.Inc()
	if !committed.IsZero() {
		m.lag.Observe(max(0, time.Since(committed).Seconds()))
	}
}

// collectors are the node's figures, plus its replication position read
// from the mount at each scrape.
func (n *Node) collectors() []prometheus.Collector {
	position := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "linkbase_cluster_position_txid",
		Help: "LiteFS transaction id this node's copy of data.db has reached (<mount>/data.db-pos).",
	}, func() float64 {
		txid, err := readPosition(n.cfg.Mount)
		if err != nil {
			return 0
		}
		return float64(txid)
	})
	m := n.stats
	return []prometheus.Collector{m.role, m.replicated, m.lag, m.reloads, m.forwarded, m.handed, m.applied, position}
}
