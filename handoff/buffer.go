package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/state"
)

// BufferConfig configures a Buffer.
type BufferConfig[K comparable] struct {
	// Name identifies the buffer in logs and figures; its batches are
	// handed over as writes of kind "buffer/"+Name.
	Name string
	// FlushAt, Max and Fold bound the buffer as state.NewCounts does.
	FlushAt, Max int
	Fold         func(K) (K, bool)
	// Every is the flush interval.
	Every time.Duration
	// Clock dates the flushes in the figures.
	Clock state.Clock
	// Write writes a batch with tx, a transaction's app, on the node that
	// writes. What it returns as committed, if not nil, runs once the
	// transaction is committed (dropping the caches the batch changed).
	Write func(tx core.App, batch map[K]int64) (committed func(), err error)
	// OnError hears of every failed flush of the interval loop.
	OnError func(error)
}

// Buffer holds counts in memory (state.Counts) and writes them in batches
// on the node that writes, on one lifecycle (state.Flusher): here on a
// single node or the primary; on a cluster replica each batch is handed
// to the primary, exactly once: it gets an id, is retried as it is (same
// id, same counts) until the primary has it, and the primary records the
// id in the transaction that applies it. Counts added meanwhile wait for
// the next batch. K travels as JSON: its fields must be exported.
type Buffer[K comparable] struct {
	app     core.App
	cfg     BufferConfig[K]
	counts  *state.Counts[K]
	flusher *state.Flusher

	mu      sync.Mutex // guards unacked; flushes never overlap anyway
	unacked *handed[K]
}

// handed is a batch sent to the primary whose answer has not come back:
// it may or may not have been applied.
type handed[K comparable] struct {
	id    string
	batch map[K]int64
}

// entry is one count of a batch on the wire (JSON maps take string keys
// only).
type entry[K comparable] struct {
	Key K     `json:"k"`
	N   int64 `json:"n"`
}

// NewBuffer builds the buffer of app and registers how the node that
// writes applies its batches. Bind its Flusher to the app's lifecycle.
func NewBuffer[K comparable](app core.App, cfg BufferConfig[K]) *Buffer[K] {
	b := &Buffer[K]{app: app, cfg: cfg, counts: state.NewCounts(cfg.FlushAt, cfg.Max, cfg.Fold)}
	b.flusher = state.NewFlusher(state.FlusherConfig{
		Name: cfg.Name, Every: cfg.Every, Flush: b.flush, Pending: b.Len, Clock: cfg.Clock, OnError: cfg.OnError,
	})
	Handle(app, b.kind(), b.apply)
	return b
}

func (b *Buffer[K]) kind() string { return "buffer/" + b.cfg.Name }

// Add counts n for key, kicking a flush when the buffer is full, and
// reports whether it was counted (state.Counts.Add).
func (b *Buffer[K]) Add(key K, n int64) bool {
	ok := b.counts.Add(key, n)
	if b.counts.Full() {
		b.flusher.Kick()
	}
	return ok
}

// Flusher is the buffer's flusher, for the app's lifecycle and figures.
func (b *Buffer[K]) Flusher() *state.Flusher { return b.flusher }

// Flush writes (or hands over) what is buffered now.
func (b *Buffer[K]) Flush(ctx context.Context) error { return b.flusher.Flush(ctx) }

// Len is the number of keys not yet written: buffered, or in a batch the
// primary has not acknowledged.
func (b *Buffer[K]) Len() int {
	b.mu.Lock()
	n := 0
	if b.unacked != nil {
		n = len(b.unacked.batch)
	}
	b.mu.Unlock()
	return n + b.counts.Len()
}

func (b *Buffer[K]) flush(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	// A batch sent before, fate unknown, goes first: only its id can
	// tell, wherever it is applied now (the node may have been promoted
	// since).
	if err := b.handUnacked(ctx); err != nil {
		return err
	}
	batch := b.counts.Drain()
	if len(batch) == 0 {
		return nil
	}
	if IsReplica(b.app) {
		b.unacked = &handed[K]{id: core.GenerateDefaultRandomId() + core.GenerateDefaultRandomId(), batch: batch}
		return b.handUnacked(ctx)
	}
	var committed func()
	err := b.app.RunInTransaction(func(tx core.App) error {
		var err error
		committed, err = b.cfg.Write(tx, batch)
		return err
	})
	if err != nil {
		b.counts.Restore(batch)
		return fmt.Errorf("writing %d %s counts: %w", len(batch), b.cfg.Name, err)
	}
	if committed != nil {
		committed()
	}
	return nil
}

// handUnacked submits the batch awaiting the primary's answer, if any, with
// its id, and forgets it once applied; b.mu is held.
func (b *Buffer[K]) handUnacked(ctx context.Context) error {
	if b.unacked == nil {
		return nil
	}
	if err := Submit(ctx, b.app, b.kind(), b.unacked.id, encode(b.unacked.batch)); err != nil {
		return fmt.Errorf("handing %d %s counts to the primary: %w", len(b.unacked.batch), b.cfg.Name, err)
	}
	b.unacked = nil
	return nil
}

// apply is the primary's side of a handed batch, in the transaction that
// records its id.
func (b *Buffer[K]) apply(tx core.App, payload json.RawMessage) (func(), error) {
	var entries []entry[K]
	if err := json.Unmarshal(payload, &entries); err != nil {
		return nil, err
	}
	batch := make(map[K]int64, len(entries))
	for _, e := range entries {
		batch[e.Key] += e.N
	}
	return b.cfg.Write(tx, batch)
}

func encode[K comparable](batch map[K]int64) []entry[K] {
	out := make([]entry[K], 0, len(batch))
	for k, n := range batch {
		out = append(out, entry[K]{Key: k, N: n})
	}
	return out
}
