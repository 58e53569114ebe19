package cluster

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// reconnectDelay paces reconnections to LiteFS's event stream.
const reconnectDelay = 500 * time.Millisecond

// Change tells a subscriber that replicated transactions were applied to
// this replica's copy of the database.
type Change struct {
	// TXID is LiteFS's transaction id the database has reached.
	TXID uint64
	// Committed is when the primary committed that transaction.
	Committed time.Time
	// Resync is set after the event stream was broken: transactions may
	// have been applied unseen, so anything derived from the database
	// must be dropped.
	Resync bool
}

// Node is this process's place in the cluster: its role, the primary's
// address, and the subscribers to replicated changes.
type Node struct {
	cfg     Config
	app     core.App
	litefs  *litefsClient
	stats   *nodeMetrics
	hold    migrationHold
	changed chan struct{} // a tx event or a resync awaits the worker

	mu        sync.RWMutex
	known     bool     // the role has been read from LiteFS
	isPrimary bool     // this node writes
	primary   *url.URL // the primary's Linkbase, on a replica that knows it
	subs      []func(Change)
	last      Change // the newest tx seen, handed to the worker
	resync    bool   // the worker must reload and drop everything
	stamps    stamps // what settings and collections were loaded from

	stop context.CancelFunc // ends start's goroutines; under mu
	done sync.WaitGroup
}

func newNode(app core.App, cfg Config) *Node {
	return &Node{
		cfg:     cfg,
		app:     app,
		litefs:  newLiteFSClient(cfg.API),
		stats:   newNodeMetrics(),
		changed: make(chan struct{}, 1),
	}
}

// Subscribe calls fn, on one goroutine and in order, after every batch of
// replicated transactions this replica applies, once PocketBase's settings
// and collections reflect them: the place to drop cached answers. On the
// primary nothing is replicated in, so fn is never called; the primary's
// own writes run its model hooks.
func (n *Node) Subscribe(fn func(Change)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.subs = append(n.subs, fn)
}

// IsPrimary reports whether this node is, as far as LiteFS last said, the
// one that writes.
func (n *Node) IsPrimary() bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.isPrimary
}

// Primary is the primary's Linkbase base URL on a replica that knows it;
// nil on the primary and on a replica cut off from it.
func (n *Node) Primary() *url.URL {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if n.primary == nil {
		return nil
	}
	u := *n.primary
	return &u
}

// setRole records what LiteFS says and acts on a change of role: a new
// primary runs the migrations it held and starts cron jobs, a demoted one
// stops them.
func (n *Node) setRole(isPrimary bool, hostname string) {
	var primary *url.URL
	if !isPrimary {
		if u, err := primaryURL(hostname); err == nil {
			primary = u
		} else if hostname != "" {
			n.app.Logger().Error("cluster: cannot reach the primary", "error", err)
		}
	}
	n.mu.Lock()
	was, known := n.isPrimary, n.known
	n.known, n.isPrimary, n.primary = true, isPrimary, primary
	n.mu.Unlock()
	n.stats.setPrimary(isPrimary)

	if known && was == isPrimary {
		return
	}
	if isPrimary {
		n.promoted()
	} else {
		n.demoted()
	}
}

func (n *Node) promoted() {
	n.hold.release()
	if n.app.IsBootstrapped() {
		if err := n.app.RunAllMigrations(); err != nil {
			n.app.Logger().Error("cluster: migrations after promotion", "error", err)
		}
		n.app.Cron().Start()
	}
	n.app.Logger().Info("cluster: this node is the primary")
}

func (n *Node) demoted() {
	n.hold.hold()
	n.app.Cron().Stop()
	n.app.Logger().Info("cluster: this node is a replica", "primary", n.Primary())
}

// start follows LiteFS's event stream until stop: role changes and, on a
// replica, every applied transaction.
func (n *Node) start() {
	ctx, cancel := context.WithCancel(context.Background())
	n.mu.Lock()
	n.stop = cancel
	n.mu.Unlock()
	n.done.Add(2)
	go func() {
		defer n.done.Done()
		n.follow(ctx)
	}()
	go func() {
		defer n.done.Done()
		n.work(ctx)
	}()
}

// shutdown ends the goroutines of start.
func (n *Node) shutdown() {
	n.mu.Lock()
	stop := n.stop
	n.mu.Unlock()
	if stop != nil {
		stop()
		n.done.Wait()
	}
}

// follow reads the event stream, reconnecting when it breaks. Every
// connection after the first asks for a resync: events were missed.
func (n *Node) follow(ctx context.Context) {
	for first := true; ctx.Err() == nil; first = false {
		if !first {
			n.signal(Change{}, true)
		}
		err := n.litefs.events(ctx, n.handle)
		if ctx.Err() != nil {
			return
		}
		n.app.Logger().Warn("cluster: LiteFS event stream broken, reconnecting", "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(reconnectDelay):
		}
	}
}

// handle takes one event. It must return quickly: the work of a tx event
// is left to the worker, so a slow reload never makes LiteFS drop us.
func (n *Node) handle(ev litefsEvent) error {
	switch ev.Type {
	case "init", "primaryChange":
		var d roleData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		n.setRole(d.IsPrimary, d.Hostname)
	case "tx":
		if ev.DB != dataDBName || n.IsPrimary() {
			return nil
		}
		var d txData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		txid, err := parseTXID(d.TXID)
		if err != nil {
			return err
		}
		n.stats.sawTx(d.Timestamp)
		n.signal(Change{TXID: txid, Committed: d.Timestamp}, false)
	}
	return nil
}

// signal hands the newest change to the worker, coalescing a burst of
// transactions into one reload and one call of each subscriber.
func (n *Node) signal(c Change, resync bool) {
	n.mu.Lock()
	if c.TXID != 0 {
		n.last = c
	}
	n.resync = n.resync || resync
	n.mu.Unlock()
	select {
	case n.changed <- struct{}{}:
	default:
	}
}

func (n *Node) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.changed:
			n.apply()
		}
	}
}

// apply reloads what the replicated transactions changed in PocketBase's
// own state, then tells the subscribers.
func (n *Node) apply() {
	n.mu.Lock()
	c, resync := n.last, n.resync
	n.resync = false
	subs := slices.Clone(n.subs)
	n.mu.Unlock()
	c.Resync = resync

	if err := n.reload(resync); err != nil {
		n.app.Logger().Error("cluster: reloading settings and collections", "error", err)
	}
	for _, fn := range subs {
		fn(c)
	}
}
