package webhookstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/handoff"
	"linkbase/hooks"
	"linkbase/routes"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
	"linkbase/webhook"
	"linkbase/webhookstore"
)

var start = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// newApp is a test app whose deliveries may reach the loopback (where the
// test receivers listen), on a manual clock.
func newApp(t *testing.T) (*tests.TestApp, *webhookstore.Store, *state.ManualClock) {
	clock := state.NewManualClock(start)
	app := testutil.NewAppWith(t, stores.Options{Clock: clock.Now, WebhooksAllowPrivate: true})
	return app, stores.Of(app).Webhooks, clock
}

func deliver(t *testing.T, s *webhookstore.Store) {
	t.Helper()
	if err := s.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// outbox returns the outbox rows, oldest first.
func outbox(t *testing.T, app core.App) []*core.Record {
	t.Helper()
	rows, err := app.FindRecordsByFilter(schema.WebhookOutbox, "", "created", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func attempts(t *testing.T, app core.App) []*core.Record {
	t.Helper()
	rows, err := app.FindRecordsByFilter(schema.WebhookDeliveries, "", "attempt", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestDeliveryIsSignedPerTheSpecification: a sign-up's user.created
// reaches the receiver as {"type", "timestamp", "data"} with the three
// headers, and the signature verifies with an independent implementation
// of the specification.
func TestDeliveryIsSignedPerTheSpecification(t *testing.T) {
	app, s, clock := newApp(t)
	r := newReceiver(t, http.StatusNoContent)
	hook := addWebhook(t, app, r.URL+"/linkbase", "", webhook.UserCreated)
	secret := hook.GetString(schema.WebhookSecret)
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("an empty secret was not drawn: %q", secret)
	}
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	deliver(t, s)

	got := r.requests()
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	req := got[0]
	if !verifySignature(secret, req.header, req.body, clock.Now(), 5*time.Minute) {
		t.Fatalf("the signature does not verify: %v\n%s", req.header, req.body)
	}
	if verifySignature("whsec_"+strings.Repeat("A", 32), req.header, req.body, clock.Now(), 5*time.Minute) {
		t.Fatal("another secret verifies the signature too")
	}
	var env struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(req.body, &env); err != nil || env.Type != webhook.UserCreated || env.Data["id"] != ann.Id ||
		env.Data["username"] != "ann" || env.Timestamp != start.Format(time.RFC3339Nano) || req.path != "/linkbase" {
		t.Fatalf("body %s (%v)", req.body, err)
	}
	if _, leaks := env.Data["password"]; leaks {
		t.Fatal("the password hash is in the event")
	}
	rows := outbox(t, app)
	if len(rows) != 1 || rows[0].GetString(schema.OutboxStatus) != schema.OutboxDelivered ||
		rows[0].GetString(schema.OutboxMessageID) != req.header.Get("webhook-id") {
		t.Fatalf("outbox %v", rows)
	}
	log := attempts(t, app)
	if len(log) != 1 || !log[0].GetBool(schema.DeliverySuccess) || log[0].GetInt(schema.DeliveryStatusCode) != http.StatusNoContent {
		t.Fatalf("attempts %v", log)
	}
	deliver(t, s)
	if len(r.requests()) != 1 {
		t.Fatal("a delivered message was sent again")
	}
}

// TestRetriesKeepTheMessageID: a failed attempt is retried with the same
// webhook-id, the first retry due within 10 s; later retries wait longer
// and longer; after the schedule (over 24 h) the message is given up.
// Every attempt is in the log.
func TestRetriesKeepTheMessageID(t *testing.T) {
	app, s, clock := newApp(t)
	r := newReceiver(t, http.StatusInternalServerError, http.StatusBadGateway, http.StatusOK)
	addWebhook(t, app, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	deliver(t, s)
	row := outbox(t, app)[0]
	wait := row.GetDateTime(schema.OutboxNextAttempt).Time().Sub(clock.Now())
	if row.GetString(schema.OutboxStatus) != schema.OutboxPending || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("after a 500: status %q, next attempt in %s; want pending, within 10 s", row.GetString(schema.OutboxStatus), wait)
	}
	deliver(t, s) // not due yet
	if n := len(r.requests()); n != 1 {
		t.Fatalf("%d attempts before the retry was due", n)
	}
	clock.Advance(wait)
	deliver(t, s) // 502
	row = outbox(t, app)[0]
	second := row.GetDateTime(schema.OutboxNextAttempt).Time().Sub(clock.Now())
	if second <= wait {
		t.Fatalf("second retry after %s, first after %s: the delays must grow", second, wait)
	}
	clock.Advance(second)
	deliver(t, s) // 200
	got := r.requests()
	if len(got) != 3 {
		t.Fatalf("%d attempts, want 3", len(got))
	}
	for _, req := range got[1:] {
		if req.header.Get("webhook-id") != got[0].header.Get("webhook-id") {
			t.Fatalf("retry with id %q, first attempt %q", req.header.Get("webhook-id"), got[0].header.Get("webhook-id"))
		}
		if string(req.body) != string(got[0].body) {
			t.Fatal("a retry sent another body")
		}
	}
	log := attempts(t, app)
	if len(log) != 3 || log[0].GetBool(schema.DeliverySuccess) || log[0].GetString(schema.DeliveryError) != "answered 500 Internal Server Error" ||
		!log[2].GetBool(schema.DeliverySuccess) || log[2].GetInt(schema.DeliveryAttempt) != 3 {
		t.Fatalf("log: %v", log)
	}
	if outbox(t, app)[0].GetString(schema.OutboxStatus) != schema.OutboxDelivered {
		t.Fatal("not delivered after the 200")
	}
}

func TestGivenUpAfterTheSchedule(t *testing.T) {
	app, s, clock := newApp(t)
	r := newReceiver(t, http.StatusServiceUnavailable)
	addWebhook(t, app, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	first := clock.Now()
	for range 20 {
		deliver(t, s)
		row := outbox(t, app)[0]
		if row.GetString(schema.OutboxStatus) != schema.OutboxPending {
			break
		}
		clock.Set(row.GetDateTime(schema.OutboxNextAttempt).Time())
	}
	row := outbox(t, app)[0]
	n := len(r.requests())
	if row.GetString(schema.OutboxStatus) != schema.OutboxFailed || n != len(webhook.RetryDelays)+1 {
		t.Fatalf("status %q after %d attempts", row.GetString(schema.OutboxStatus), n)
	}
	if span := clock.Now().Sub(first); span < 24*time.Hour {
		t.Fatalf("given up %s after the first attempt, want at least 24 h", span)
	}
}

// TestPendingMessagesSurviveARestart: a message that could not be
// delivered (the receiver is down) stays in the outbox through a
// shutdown; the next process delivers it, with the same id.
func TestPendingMessagesSurviveARestart(t *testing.T) {
	clock := state.NewManualClock(start)
	first := testutil.FactoryWith(stores.Options{Clock: clock.Now, WebhooksAllowPrivate: true})(t)
	down := newReceiver(t, http.StatusOK)
	url := down.URL
	down.Close() // connections refused: the receiver is down
	addWebhook(t, first, url, "", webhook.UserCreated)
	testutil.CreateUser(t, first, "ann@example.com", "ann", nil)
	testutil.Handler(t, first) // serving: the worker starts
	if err := first.OnTerminate().Trigger(&core.TerminateEvent{App: first}); err != nil {
		t.Fatal(err) // the worker's last pass: the receiver is still down
	}
	rows := outbox(t, first)
	if len(rows) != 1 || rows[0].GetString(schema.OutboxStatus) != schema.OutboxPending || rows[0].GetInt(schema.OutboxAttempts) == 0 {
		t.Fatalf("after the shutdown: %v", rows)
	}
	id := rows[0].GetString(schema.OutboxMessageID)
	if _, err := first.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		t.Fatal(err)
	}

	// The next process: the same database, new stores, the receiver back
	// on the same address.
	second, err := tests.NewTestApp(first.DataDir())
	first.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Cleanup)
	s := stores.New(second, stores.Options{Clock: clock.Now, WebhooksAllowPrivate: true})
	hooks.Register(second, s)
	routes.Register(second, s)
	back := newReceiver(t, http.StatusOK)
	if _, err := second.DB().NewQuery("UPDATE webhooks SET url = {:u}").Bind(dbx.Params{"u": back.URL}).Execute(); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	deliver(t, s.Webhooks)
	got := back.requests()
	if len(got) != 1 || got[0].header.Get("webhook-id") != id {
		t.Fatalf("after the restart: %d deliveries", len(got))
	}
}

// TestEventsAreWrittenWithTheirChange: the outbox rows commit or roll back
// with the write they report; every event of a referral's life reaches
// the webhooks subscribed to it, and only those.
func TestEventsAreWrittenWithTheirChange(t *testing.T) {
	app, s, _ := newApp(t)
	all := newReceiver(t, http.StatusOK)
	rewardsOnly := newReceiver(t, http.StatusOK)
	addWebhook(t, app, all.URL, "", webhook.Events...)
	addWebhook(t, app, rewardsOnly.URL, "", webhook.RewardGranted)

	err := app.RunInTransaction(func(tx core.App) error {
		testutil.CreateUser(t, tx, "ghost@example.com", "ghost", nil)
		return errors.New("rolled back")
	})
	if err == nil || len(outbox(t, app)) != 0 {
		t.Fatalf("a rolled-back sign-up left %d outbox rows", len(outbox(t, app)))
	}

	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{schema.UserReferredBy: ann.Id})
	cat := testutil.CreateUser(t, app, "cat@example.com", "cat", map[string]any{schema.UserReferredBy: ann.Id})
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserReferredBy: ann.Id})
	bob.SetVerified(true)
	if err := app.Save(bob); err != nil {
		t.Fatal(err)
	}
	testutil.SetReferralStatus(t, app, cat.Id, schema.StatusRejected)
	testutil.SetReferralStatus(t, app, dan.Id, schema.StatusExpired)
	deliver(t, s)

	types := func(r *receiver) map[string]int {
		m := map[string]int{}
		for _, req := range r.requests() {
			var env struct{ Type string }
			_ = json.Unmarshal(req.body, &env)
			m[env.Type]++
		}
		return m
	}
	want := map[string]int{
		webhook.UserCreated: 4, webhook.ReferralCreated: 3, webhook.ReferralSuccessful: 1,
		webhook.ReferralRejected: 1, webhook.ReferralExpired: 1, webhook.RewardGranted: 1,
	}
	if got := types(all); !equalCounts(got, want) {
		t.Errorf("all events: %v, want %v", got, want)
	}
	if got := types(rewardsOnly); !equalCounts(got, map[string]int{webhook.RewardGranted: 1}) {
		t.Errorf("rewards only: %v", got)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestDisabledWebhookAndReplicaWait: a disabled webhook's messages wait
// until it is enabled again; a node that does not write (a cluster's
// replica) delivers nothing.
func TestDisabledWebhookAndReplicaWait(t *testing.T) {
	app, s, _ := newApp(t)
	r := newReceiver(t, http.StatusOK)
	hook := addWebhook(t, app, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	hook.Set(schema.WebhookEnabled, false)
	if err := app.Save(hook); err != nil {
		t.Fatal(err)
	}
	deliver(t, s)
	if len(r.requests()) != 0 {
		t.Fatal("a disabled webhook was called")
	}
	hook.Set(schema.WebhookEnabled, true)
	if err := app.Save(hook); err != nil {
		t.Fatal(err)
	}
	deliver(t, s)
	if len(r.requests()) != 1 {
		t.Fatal("the message did not go out once the webhook was enabled")
	}

	replica := testutil.NewAppWith(t, stores.Options{WebhooksAllowPrivate: true})
	handoff.SetNode(replica, &testutil.RoleNode{}) // a cluster replica
	addWebhook(t, replica, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, replica, "bob@example.com", "bob", nil)
	deliver(t, stores.Of(replica).Webhooks)
	if len(r.requests()) != 1 {
		t.Fatal("a node that does not write delivered")
	}
}

// TestNoPassWithoutServing: a process that never served (a CLI command,
// which also ends with the terminate hooks) delivers nothing: the server
// may be delivering the same outbox.
func TestNoPassWithoutServing(t *testing.T) {
	app, _, _ := newApp(t)
	r := newReceiver(t, http.StatusOK)
	addWebhook(t, app, r.URL, "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	if n := len(r.requests()); n != 0 || outbox(t, app)[0].GetInt(schema.OutboxAttempts) != 0 {
		t.Fatalf("%d deliveries from a process that never served", n)
	}
}
