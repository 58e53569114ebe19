package hooks_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"linkbase/schema"
	"linkbase/testutil"
)

// subscriber is a realtime client of the app's subscriptions broker, as
// the SDK's subscribe("collection/*") makes one, authenticated as a user.
type subscriber struct {
	events  chan realtimeEvent
	pending []realtimeEvent // received, not yet expected
}

type realtimeEvent struct {
	topic, action, id string
}

// subscribe registers a client authenticated as user for topics. The
// broker sends synchronously, so a goroutine takes every message at once.
func subscribe(t *testing.T, app core.App, user *core.Record, topics ...string) *subscriber {
	t.Helper()
	client := subscriptions.NewDefaultClient()
	client.Set(apis.RealtimeClientAuthKey, user)
	client.Subscribe(topics...)
	app.SubscriptionsBroker().Register(client)
	s := &subscriber{events: make(chan realtimeEvent, 100)}
	go func() {
		for msg := range client.Channel() {
			var data struct {
				Action string `json:"action"`
				Record struct {
					ID string `json:"id"`
				} `json:"record"`
			}
			if err := json.Unmarshal(msg.Data, &data); err == nil {
				s.events <- realtimeEvent{msg.Name, data.Action, data.Record.ID}
			}
		}
	}()
	t.Cleanup(func() { app.SubscriptionsBroker().Unregister(client.Id()) })
	return s
}

// expect waits for the event of action on the record with id. PocketBase
// sends each event from its own goroutine, so the events of one write
// arrive in any order: the others are kept for later calls.
func (s *subscriber) expect(t *testing.T, action, id string) {
	t.Helper()
	want := func(ev realtimeEvent) bool { return ev.action == action && ev.id == id }
	for i, ev := range s.pending {
		if want(ev) {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			return
		}
	}
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-s.events:
			if want(ev) {
				return
			}
			s.pending = append(s.pending, ev)
		case <-timeout:
			t.Fatalf("no realtime %q event for record %s (got %v)", action, id, s.pending)
		}
	}
}

// TestRealtimeSeesEveryWrite subscribes the owner to links, referrals and
// rewards, as the SDK does, and makes each kind of write: create, update
// and delete all reach the subscriber. A hook that left e.App on its
// finished transaction made PocketBase's broadcast of creates fail
// silently.
func TestRealtimeSeesEveryWrite(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.Handler(t, app) // binds PocketBase's realtime events, as serve does
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	sub := subscribe(t, app, ann, "links/*", "referrals/*", "rewards/*")

	t.Run("links", func(t *testing.T) {
		link := newLink(t, app, ann, nil)
		if err := app.Save(link); err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "create", link.Id)
		link.Set(schema.LinkTitle, "Renamed")
		if err := app.Save(link); err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "update", link.Id)
		if err := app.Delete(link); err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "delete", link.Id)
	})

	t.Run("referrals and rewards", func(t *testing.T) {
		bob := referred(t, app, ann, "bob@example.com", "bob")
		ref := referralOf(t, app, bob)
		sub.expect(t, "create", ref.Id)
		verify(t, app, bob)
		sub.expect(t, "update", ref.Id)
		reward, err := app.FindFirstRecordByData(schema.Rewards, schema.RewardReferral, ref.Id)
		if err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "create", reward.Id)

		// A manual reward tied to a pending referral: deleting the
		// referral empties the reward's relation (an update of it).
		cleo := referred(t, app, ann, "cleo@example.com", "cleo")
		pending := referralOf(t, app, cleo)
		sub.expect(t, "create", pending.Id)
		withRef, err := addManualFor(app, ann, pending.Id, 3)
		if err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "create", withRef.Id)
		if err := app.Delete(pending); err != nil {
			t.Fatal(err)
		}
		sub.expect(t, "delete", pending.Id)
		sub.expect(t, "update", withRef.Id)
	})

	t.Run("rewards deleted with their user", func(t *testing.T) {
		dan := testutil.CreateUser(t, app, "dan@example.com", "dan", nil)
		danSub := subscribe(t, app, dan, "rewards/*")
		row, err := addManual(app, dan, schema.RewardKindManual, 4)
		if err != nil {
			t.Fatal(err)
		}
		danSub.expect(t, "create", row.Id)
		if err := app.Delete(dan); err != nil {
			t.Fatal(err)
		}
		danSub.expect(t, "delete", row.Id)
	})
}

// addManualFor adds a manual reward of user tied to a referral.
func addManualFor(app core.App, user *core.Record, referralID string, amount int) (*core.Record, error) {
	c, err := app.FindCollectionByNameOrId(schema.Rewards)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Set(schema.RewardUser, user.Id)
	r.Set(schema.RewardReferral, referralID)
	r.Set(schema.RewardKind, schema.RewardKindManual)
	r.Set(schema.RewardAmount, amount)
	return r, app.Save(r)
}

// TestAfterSuccessHooksReadTheDatabase binds an after-success hook to
// every write of each collection with a transactional hook: each one reads
// through e.App, which must be the app again, not the finished transaction.
func TestAfterSuccessHooksReadTheDatabase(t *testing.T) {
	app := testutil.NewApp(t)
	var mu sync.Mutex
	failures := map[string]error{}
	calls := map[string]int{}
	read := func(e *core.RecordEvent) error {
		_, err := e.App.CountRecords(schema.Users)
		mu.Lock()
		key := e.Record.Collection().Name
		calls[key]++
		if err != nil {
			failures[key] = err
		}
		mu.Unlock()
		return e.Next()
	}
	for _, c := range []string{schema.Users, schema.Links, schema.Referrals, schema.Rewards} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(read)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(read)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(read)
	}

	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	link := newLink(t, app, ann, nil)
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	bob := referred(t, app, ann, "bob@example.com", "bob")
	verify(t, app, bob) // updates bob and his referral, creates rewards
	if _, err := addManual(app, ann, schema.RewardKindManual, 3); err != nil {
		t.Fatal(err)
	}
	if err := app.Delete(link); err != nil {
		t.Fatal(err)
	}
	if err := app.Delete(bob); err != nil {
		t.Fatal(err)
	}

	for _, c := range []string{schema.Users, schema.Links, schema.Referrals, schema.Rewards} {
		if calls[c] == 0 {
			t.Errorf("no after-success hook ran for %s", c)
		}
		if err := failures[c]; err != nil {
			t.Errorf("an after-success hook of %s could not read the database: %v", c, err)
		}
	}
}
