// Package webhookstore is the data side of outgoing webhooks: the outbox
// that a write fills in its own transaction (Enqueue), the worker that
// delivers due messages on the kit's lifecycle (a state.Flusher: started
// with serve, ticking every second, a last pass on terminate; on the
// primary only in a cluster), the log of every attempt, and the outbound
// HTTP client that refuses internal targets at connection time. The rules
// (signature, schedule, targets) are package webhook's.
package webhookstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
	"linkbase/state"
	"linkbase/webhook"
)

const (
	// pollEvery is how often the worker looks for due messages: the first
	// attempt leaves within about a second of the commit, a retry within a
	// second of its time.
	pollEvery = time.Second
	// batchSize bounds the messages one pass loads; a full batch asks for
	// another pass at once.
	batchSize = 64
	// parallel bounds the deliveries in flight, so one slow receiver (up
	// to webhook.Timeout) does not hold up the others.
	parallel = 8
	// keepFor is how long delivered and given-up messages and the attempt
	// log are kept (visible in the dashboard) before pruning.
	keepFor = 30 * 24 * time.Hour
	// pruneEvery paces the pruning.
	pruneEvery = time.Hour
)

// Store holds one app's webhook state: the client, the worker, the clock.
type Store struct {
	app          core.App // never a transaction
	clock        state.Clock
	writes       func() bool
	allowPrivate bool
	client       *http.Client
	slots        *state.Slots
	worker       *state.Flusher
	passMu       sync.Mutex // one delivery pass at a time, the worker's or Deliver's

	pruneMu   sync.Mutex
	lastPrune time.Time
}

// New builds the webhook store of app. writes reports whether this node
// writes (a cluster's primary): only then does the worker deliver, since
// the primary holds the same outbox. allowPrivate lets deliveries reach
// loopback, private and link-local addresses (LINKBASE_WEBHOOK_ALLOW_PRIVATE,
// for tests and closed networks); without it they are refused when the
// connection is made, whatever a name resolves to.
func New(app core.App, clock state.Clock, writes func() bool, allowPrivate bool) *Store {
	s := &Store{
		app: app, clock: clock, writes: writes, allowPrivate: allowPrivate,
		client: newClient(allowPrivate), slots: state.NewSlots(parallel),
	}
	s.worker = state.NewFlusher(state.FlusherConfig{
		Name: "webhook_deliveries", Every: pollEvery, Flush: s.workerPass, Clock: clock,
		OnError: func(err error) { app.Logger().Error("delivering webhooks", "error", err) },
	})
	return s
}

// AllowPrivate reports whether internal targets are allowed, for the
// check of a webhook's URL when it is saved.
func (s *Store) AllowPrivate() bool { return s.allowPrivate }

// Flushers are the store's workers, for the app's lifecycle.
func (s *Store) Flushers() []*state.Flusher { return []*state.Flusher{s.worker} }

// Deliver makes one delivery pass now: every due message is attempted
// once. The worker does this every second; tests and tools call it.
func (s *Store) Deliver(ctx context.Context) error { return s.deliverDue(ctx) }

// workerPass is the worker's pass: none in a process that never served
// (a CLI command such as superuser upsert also ends with the terminate
// hooks, while the server may be delivering the same outbox).
func (s *Store) workerPass(ctx context.Context) error {
	if !s.worker.Started() {
		return nil
	}
	return s.deliverDue(ctx)
}

// Enqueue writes, with tx (the transaction of the change it reports), one
// outbox message of event typ carrying data for each enabled webhook
// subscribed to typ. All of them share one message id, the webhook-id of
// every attempt. Nothing is written when no webhook wants it.
func (s *Store) Enqueue(tx core.App, typ string, data any) error {
	var hooks []struct {
		ID     string `db:"id"`
		Events string `db:"events"`
	}
	if err := tx.DB().NewQuery("SELECT [[id]], [[events]] FROM {{webhooks}} WHERE [[enabled]] = TRUE").All(&hooks); err != nil {
		return fmt.Errorf("finding webhooks: %w", err)
	}
	var targets []string
	for _, h := range hooks {
		var events []string
		if json.Unmarshal([]byte(h.Events), &events) == nil && slices.Contains(events, typ) {
			targets = append(targets, h.ID)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	now := s.clock()
	body, err := webhook.Body(typ, now, data)
	if err != nil {
		return err
	}
	id, err := webhook.NewMessageID(rand.Reader)
	if err != nil {
		return err
	}
	at, err := types.ParseDateTime(now)
	if err != nil {
		return err
	}
	for _, target := range targets {
		_, err := tx.DB().NewQuery(`INSERT INTO {{webhook_outbox}} ([[id]], [[webhook]], [[message_id]], [[type]], [[payload]],
			  [[status]], [[attempts]], [[next_attempt_at]], [[last_error]], [[created]], [[updated]])
			VALUES ({:id}, {:w}, {:m}, {:t}, {:p}, {:s}, 0, {:at}, '', {:at}, {:at})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "w": target, "m": id, "t": typ, "p": string(body),
				"s": schema.OutboxPending, "at": at.String()}).Execute()
		if err != nil {
			return fmt.Errorf("writing the webhook outbox: %w", err)
		}
	}
	return nil
}
