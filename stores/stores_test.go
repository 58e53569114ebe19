package stores_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

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
	s.Links.CountView(linkstore.View{Profile: ann.Id})
	for _, f := range s.Flushers() {
		if f.Stats().Pending != 1 {
			t.Fatalf("%s holds %d counts, want 1", f.Stats().Name, f.Stats().Pending)
		}
	}

	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
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
