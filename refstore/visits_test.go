package refstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestConcurrentVisitsAreExact records the same 40 visitors from many
// goroutines while flushes run: exactly 40 visits are stored.
func TestConcurrentVisitsAreExact(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)
	refs := stores.Of(app).Referrals
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 40 {
				refs.RecordVisit(code, fmt.Sprintf("%032d", (g+i)%40))
				if i%10 == 0 {
					if err := refs.FlushVisits(ctx); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := flushedVisits(t, app, refs); n != 40 {
		t.Errorf("%d visits stored, want 40", n)
	}
}

func TestVisitsCountOncePerVisitorPerDay(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)

	refs.RecordVisit(code, "v1")
	refs.RecordVisit(code, "v1") // merged in the queue
	refs.RecordVisit(code, "v2")
	if refs.PendingVisits() != 2 {
		t.Fatalf("%d visits queued, want 2", refs.PendingVisits())
	}
	if err := refs.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	// Queued again after a flush (or a restart): the unique index keeps
	// the visitor counted once.
	refs.RecordVisit(code, "v1")
	if n := flushedVisits(t, app, refs); n != 2 {
		t.Fatalf("%d visits stored, want 2", n)
	}
}

func TestVisitsOfUnknownRetiredOrDisabledCodesAreDropped(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	oldCode := ann.GetString(schema.UserReferralCode)
	if err := refstore.RegenerateCode(app, ann); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"zzzzzzzz", oldCode, dan.GetString(schema.UserReferralCode)} {
		refs.RecordVisit(code, "v1")
	}
	if n := flushedVisits(t, app, refs); n != 0 || refs.PendingVisits() != 0 {
		t.Fatalf("%d visits stored, %d queued; want none", n, refs.PendingVisits())
	}
}

// TestVisitsFlushedWhenTheQueueIsFull serves the app (starting the
// flusher, with an interval of an hour): queuing 500 visits kicks a flush
// without waiting for the interval.
func TestVisitsFlushedWhenTheQueueIsFull(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	testutil.Handler(t, app) // serve: the flushers start
	refs := stores.Of(app).Referrals
	code := testutil.CreateUser(t, app, "ann@example.com", "ann", nil).GetString(schema.UserReferralCode)
	for i := range 500 {
		refs.RecordVisit(code, fmt.Sprintf("%032d", i))
	}
	for deadline := time.Now().Add(10 * time.Second); testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil) != 500; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 500 visits written, %d queued: the full queue kicked no flush", testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil), refs.PendingVisits())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestVisitsFlushedOnTerminate(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	refs.RecordVisit(ann.GetString(schema.UserReferralCode), "v1")
	if testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil) != 0 {
		t.Fatal("recording a visit wrote to the database")
	}
	err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}, func(e *core.TerminateEvent) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil); n != 1 {
		t.Errorf("%d visits after terminate, want 1", n)
	}
}

// TestSignUpsClaimVisits: a sign-up counts as its visitor's visit of the
// day (claiming the one counted when they opened the link, or counting
// one); a second account from the same visitor, and a sign-up from an
// unknown visitor, count visits of their own; a visit queued before its
// sign-up but written after it is not counted again. Conversion stays
// within 0 and 1.
func TestSignUpsClaimVisits(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)
	key := func(id string) string {
		k, err := refs.VisitKey(id)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	signUp := func(name, visitor string) {
		testutil.CreateUser(t, app, name+"@example.com", name, map[string]any{schema.UserReferredBy: ann.Id, schema.UserSignupVisitor: visitor})
	}
	stats := func() refstore.Counts {
		c, err := refs.UserStats(ann.Id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	refs.RecordVisit(code, key("v1"))
	refs.RecordVisit(code, key("v2"))
	if err := refs.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	signUp("bob", key("v1")) // claims v1's visit
	if c := stats(); c.Visits != 2 || c.Signups != 1 {
		t.Fatalf("after a visitor's sign-up: %+v", c)
	}
	signUp("cat", key("v1")) // a second account from v1's browser
	signUp("dan", "")        // a visitor we know nothing of
	refs.RecordVisit(code, key("v3"))
	signUp("eve", key("v3")) // signed up before the visit was written
	if err := refs.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	c := stats()
	if c.Visits != 5 || c.Signups != 4 || c.ConversionRate != 0.8 {
		t.Fatalf("visits %d, sign-ups %d, conversion %v; want 5, 4, 0.8", c.Visits, c.Signups, c.ConversionRate)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits WHERE referral != ''", nil); n != 4 {
		t.Errorf("%d visits claimed by a sign-up, want 4", n)
	}
}

// TestVisitsWaitOutAFailedCodeLookup: a flush whose code lookup fails
// keeps its visits queued for the next flush instead of dropping them as
// visits of an unknown code.
func TestVisitsWaitOutAFailedCodeLookup(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rename := func(from, to string) {
		t.Helper()
		if _, err := app.DB().NewQuery("ALTER TABLE users RENAME COLUMN " + from + " TO " + to).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	refs.RecordVisit(ann.GetString(schema.UserReferralCode), "v1")
	rename("disabled", "disabled_away")
	if err := refs.FlushVisits(ctx); err == nil {
		t.Fatal("a flush whose code lookup failed reported no error")
	}
	if refs.PendingVisits() != 1 {
		t.Fatalf("%d visits queued after a failed flush, want 1", refs.PendingVisits())
	}
	rename("disabled_away", "disabled")
	if n := flushedVisits(t, app, refs); n != 1 {
		t.Fatalf("%d visits stored, want 1", n)
	}
}

// flushedVisits writes the queued visits and returns how many are stored.
func flushedVisits(t *testing.T, app core.App, refs *refstore.Store) int {
	t.Helper()
	if err := refs.FlushVisits(ctx); err != nil {
		t.Fatal(err)
	}
	return testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil)
}
