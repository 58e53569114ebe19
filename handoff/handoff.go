// Package handoff makes writes on the node that writes. On a single node
// and on a cluster's primary that is here; a cluster replica cannot write
// data.db, so what it must write (the counts it buffered, the records of
// a login) it hands to the primary: a kind, registered on every node with
// Handle, an optional id that makes the write idempotent, and a JSON
// payload. Package cluster carries the writes between nodes (SetNode);
// stores submit them here without knowing whether they run clustered.
package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Apply applies one kind of write on the node that writes, with app (a
// transaction's app when the write has an id). What it returns as
// committed, if not nil, runs once the write is committed (dropping the
// caches it changed).
type Apply func(app core.App, payload json.RawMessage) (committed func(), err error)

// Write is one write on its way to the primary.
type Write struct {
	Kind    string          `json:"kind"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload"`
}

// Node is how a clustered app reaches the primary (package cluster).
type Node interface {
	// IsPrimary reports whether this node writes.
	IsPrimary() bool
	// Send hands w to the primary and returns once it is applied there.
	Send(ctx context.Context, w Write) error
	// Forward sends the request to the primary with vouches, and answers
	// with the primary's answer.
	Forward(e *core.RequestEvent, vouches url.Values) error
}

// VouchKey is where a node that writes keeps the verified vouches of a
// request another node forwarded (e.Get); package cluster sets them.
const VouchKey = "linkbaseVouch"

// Forward sends the request to the primary from a replica, vouching for
// what this node did already (e.g. a password's bcrypt hash, computed
// here; a rate limit, counted here), and answers with the primary's
// answer. It reports false, doing nothing, on the primary and on a single
// node: the caller goes on there. A handler that does the CPU-heavy part
// of a write on any node calls it once that part is done.
func Forward(e *core.RequestEvent, vouches url.Values) (bool, error) {
	n := of(e.App).nodeOf()
	if n == nil || n.IsPrimary() {
		return false, nil
	}
	return true, n.Forward(e, vouches)
}

// Vouched returns what the node that forwarded this request vouches for
// under name (see Forward), on the primary; false for any request no node
// signed.
func Vouched(e *core.RequestEvent, name string) (string, bool) {
	v, _ := e.Get(VouchKey).(url.Values)
	if !v.Has(name) {
		return "", false
	}
	return v.Get(name), true
}

// ErrUnknownKind means no Apply is registered for a write's kind.
var ErrUnknownKind = errors.New("handoff: unknown kind of write")

// idsKept is how long the primary remembers applied write ids: far longer
// than any replica retries one.
const idsKept = 24 * time.Hour

// registry is one app's kinds and node.
type registry struct {
	mu        sync.RWMutex
	apply     map[string]Apply
	node      Node
	lastSweep atomic.Int64 // unix seconds of the last sweep of old ids
}

const storeKey = "linkbaseHandoff"

func of(app core.App) *registry {
	return app.Store().GetOrSet(storeKey, func() any {
		return &registry{apply: map[string]Apply{}}
	}).(*registry)
}

// SetNode makes app a cluster node: writes submitted while it is not the
// primary are sent through n.
func SetNode(app core.App, n Node) {
	r := of(app)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.node = n
}

// Handle registers how writes of kind are applied on app. Every node
// registers the same kinds (the stores do, when they are built), clustered
// or not; a second registration of a kind replaces the first.
func Handle(app core.App, kind string, apply Apply) {
	r := of(app)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.apply[kind] = apply
}

// IsReplica reports whether app is a cluster node that does not write.
func IsReplica(app core.App) bool {
	n := of(app).nodeOf()
	return n != nil && !n.IsPrimary()
}

func (r *registry) nodeOf() Node {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.node
}

// Submit makes a write on the node that writes: here, on a single node or
// the primary; handed to the primary, on a replica. With an id, it is
// applied at most once whatever the retries: the primary records the id
// in the transaction that applies it. It returns once the write is
// committed (or known to have been before), or with an error and nothing
// to assume: retry with the same id.
func Submit(ctx context.Context, app core.App, kind, id string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("handoff: encoding a write of kind %s: %w", kind, err)
	}
	w := Write{Kind: kind, ID: id, Payload: b}
	if n := of(app).nodeOf(); n != nil && !n.IsPrimary() {
		return n.Send(ctx, w)
	}
	return ApplyHere(app, w)
}

// ApplyHere applies w on app, a node that writes: the primary calls it for
// the writes replicas send.
func ApplyHere(app core.App, w Write) error {
	r := of(app)
	r.mu.RLock()
	apply, ok := r.apply[w.Kind]
	r.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownKind, w.Kind)
	}
	var committed func()
	var err error
	if w.ID == "" {
		committed, err = apply(app, w.Payload)
	} else {
		committed, err = applyOnce(app, r, w, apply)
	}
	if err == nil && committed != nil {
		committed()
	}
	return err
}

// applyOnce applies w in a transaction that records its id, unless the id
// is recorded already.
func applyOnce(app core.App, r *registry, w Write, apply Apply) (committed func(), err error) {
	now := time.Now().UTC()
	err = app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery("INSERT OR IGNORE INTO {{cluster_writes}} ([[id]], [[applied]]) VALUES ({:id}, {:at})").
			Bind(dbx.Params{"id": w.ID, "at": now.Format(time.RFC3339Nano)}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // applied before: its answer was lost and the replica retried
		}
		if last := r.lastSweep.Load(); now.Unix()-last > 3600 && r.lastSweep.CompareAndSwap(last, now.Unix()) {
			_, err := tx.DB().NewQuery("DELETE FROM {{cluster_writes}} WHERE [[applied]] < {:cutoff}").
				Bind(dbx.Params{"cutoff": now.Add(-idsKept).Format(time.RFC3339Nano)}).Execute()
			if err != nil {
				return err
			}
		}
		committed, err = apply(tx, w.Payload)
		return err
	})
	return committed, err
}
