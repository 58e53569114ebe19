package stores_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
	"linkbase/webhook"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// webhookWorker is the webhook store's flusher, a worker over the outbox.
const webhookWorker = "webhook_deliveries"

func TestOneSetPerApp(t *testing.T) {
	app := testutil.NewApp(t) // builds the app's stores
	if stores.Of(app) == nil {
		t.Fatal("Of found no stores")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a second Set for one app must be refused")
		}
	}()
	stores.New(app, stores.Options{})
}

// TestTerminateFlushesEveryBuffer counts into every buffer of a served app
// and terminates it as `serve` does on SIGTERM: nothing is lost, and every
// flusher's figures show its final flush.
func TestTerminateFlushesEveryBuffer(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	testutil.Handler(t, app) // serve: the flushers start
	s := stores.Of(app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	s.Referrals.RecordVisit(ann.GetString(schema.UserReferralCode), "v1")
	s.Referrals.NoteSuccess(ann.Id)
	s.Links.CountView(linkstore.View{Profile: ann.Id})
	for _, f := range s.Flushers() {
		if f.Stats().Name == webhookWorker {
			continue // no buffer: its messages wait in the database (webhookstore's tests)
		}
		if f.Stats().Pending != 1 {
			t.Fatalf("%s holds %d counts, want 1", f.Stats().Name, f.Stats().Pending)
		}
	}

	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Errorf("%d referral notices mailed, want 1", n)
	}
	for table, want := range map[string]int64{schema.ReferralVisits: 1, "profile_daily": 1} {
		if n, err := app.CountRecords(table); err != nil || n != want {
			t.Errorf("%s: %d rows, %v; want %d", table, n, err, want)
		}
	}
	for _, f := range s.Flushers() {
		if st := f.Stats(); st.Pending != 0 || st.Flushes == 0 || st.LastError != "" {
			t.Errorf("after terminate: %+v", st)
		}
	}
}

// TestTerminateFlushOutlastsAnotherWriter is issue 12's SIGTERM while
// another process holds SQLite's write lock (a second connection in BEGIN
// IMMEDIATE): the final flushes fail while the lock is held, every buffer
// (with the notice digest and the webhook worker wanting PocketBase's one
// writer connection too) retries until the shutdown deadline rather than
// dropping its counts, and once the other writer commits, every count is
// stored.
func TestTerminateFlushOutlastsAnotherWriter(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	testutil.Handler(t, app)
	s := stores.Of(app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	const views = 5000
	for range views {
		s.Links.CountView(linkstore.View{Profile: ann.Id})
	}
	s.Referrals.RecordVisit(ann.GetString(schema.UserReferralCode), "v1")

	other, err := core.DefaultDBConnect(filepath.Join(app.DataDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	lock, err := other.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	terminated := make(chan error, 1)
	go func() { terminated <- app.OnTerminate().Trigger(&core.TerminateEvent{App: app}) }()
	flusher := viewsFlusher(t, s)
	for flusher.Stats().Failures < 3 { // the final flush met the lock, and retried
		select {
		case err := <-terminated:
			t.Fatalf("terminate ended while another process held the write lock: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if _, err := lock.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	if err := <-terminated; err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := app.DB().NewQuery("SELECT COALESCE(SUM(views), 0) FROM profile_daily").Row(&stored); err != nil || stored != views {
		t.Fatalf("%d views stored (%v), want %d: %+v", stored, err, views, flusher.Stats())
	}
	if n, err := app.CountRecords(schema.ReferralVisits); err != nil || n != 1 {
		t.Fatalf("%d referral visits stored (%v), want 1", n, err)
	}
}

func viewsFlusher(t *testing.T, s *stores.Set) *state.Flusher {
	for _, f := range s.Flushers() {
		if f.Stats().Name == "views_and_clicks" {
			return f
		}
	}
	t.Fatal("no views_and_clicks flusher")
	return nil
}

// TestCountsAreFlushedEverySecond: by default every buffer is written at
// least once a second, so a crash loses at most the last second (issue
// 12: a 10 s interval lost 62,598 clicks to one SIGKILL).
func TestCountsAreFlushedEverySecond(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "")
	app := testutil.NewApp(t)
	counts := map[string]bool{"views_and_clicks": false, "referral_visits": false} // the buffers of counts
	for _, f := range stores.Of(app).Flushers() {
		st := f.Stats()
		if _, isCounts := counts[st.Name]; !isCounts {
			continue // e.g. the referral notices' digest, which waits on purpose
		}
		counts[st.Name] = true
		if st.Every <= 0 || st.Every > time.Second {
			t.Errorf("%s flushes every %s, want at most 1s", st.Name, st.Every)
		}
	}
	for name, found := range counts {
		if !found {
			t.Errorf("no %s flusher", name)
		}
	}
}

// TestWebhooksDeliverOnlyWhereTheNodeWrites: by default the webhook worker
// follows the cluster role (handoff's node): a replica delivers nothing,
// since the primary delivers the same outbox, and takes over once promoted.
func TestWebhooksDeliverOnlyWhereTheNodeWrites(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	app := testutil.NewAppWith(t, stores.Options{WebhooksAllowPrivate: true})
	c, err := app.FindCollectionByNameOrId(schema.Webhooks)
	if err != nil {
		t.Fatal(err)
	}
	hook := core.NewRecord(c)
	hook.Set(schema.WebhookURL, srv.URL)
	hook.Set(schema.WebhookEvents, []string{webhook.UserCreated})
	hook.Set(schema.WebhookEnabled, true)
	if err := app.Save(hook); err != nil {
		t.Fatal(err)
	}
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	node := &testutil.RoleNode{}
	handoff.SetNode(app, node)
	if err := stores.Of(app).Webhooks.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("a replica delivered %d messages", n)
	}
	node.Primary = true
	if err := stores.Of(app).Webhooks.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := got.Load(); n != 1 {
		t.Fatalf("the promoted node delivered %d messages, want 1", n)
	}
}
