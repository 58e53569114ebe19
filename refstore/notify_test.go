package refstore_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/mail"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestNoticesAreADigest: a burst of successes is one mail to the referrer
// (here with the milestone it reached), not one per success; later news
// waits for the mail throttle's window and then goes out as one mail; a
// referrer who turned referral mails off gets none; a success that rolled
// back is never told.
func TestNoticesAreADigest(t *testing.T) {
	clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	app := testutil.NewAppAt(t, clock.Now)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	zed := testutil.CreateUser(t, app, "zed@example.com", "zed", map[string]any{schema.UserNotifyReferrals: false})
	zed.Set(schema.UserNotifyReferrals, false)
	if err := app.Save(zed); err != nil {
		t.Fatal(err)
	}
	var fans []*core.Record
	for i := range 31 {
		referrer := ann
		if i == 30 {
			referrer = zed
		}
		fans = append(fans, testutil.CreateUser(t, app, fmt.Sprintf("fan%d@example.com", i), fmt.Sprintf("fan%d", i),
			map[string]any{schema.UserReferredBy: referrer.Id}))
	}
	var wg sync.WaitGroup
	for _, f := range fans[:30] {
		wg.Go(func() { verifyUser(t, app, f) })
	}
	wg.Wait()
	verifyUser(t, app, fans[30])
	err := app.RunInTransaction(func(tx core.App) error {
		late := testutil.CreateUser(t, tx, "late@example.com", "late", map[string]any{schema.UserReferredBy: ann.Id})
		late.SetVerified(true)
		if err := tx.Save(late); err != nil {
			return err
		}
		return errors.New("rolled back")
	})
	if err == nil {
		t.Fatal("the transaction did not roll back")
	}

	if err := refs.FlushNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("%d mails after 30 successes, want 1", n)
	}
	msg := app.TestMailer.LastMessage()
	if msg.To[0].Address != "ann@example.com" || msg.Subject != "You reached 25 successful referrals on Linkbase" ||
		!strings.Contains(msg.Text, "30 new successful referrals since our last mail") ||
		!strings.Contains(msg.Text, "http://localhost:8090/dashboard#referrals") || !strings.Contains(msg.Text, "turn them off") {
		t.Fatalf("the mail: %s\n%s", msg.Subject, msg.Text)
	}

	more := testutil.CreateUser(t, app, "more@example.com", "more", map[string]any{schema.UserReferredBy: ann.Id})
	verifyUser(t, app, more)
	if err := refs.FlushNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 || refs.PendingNotices() != 1 {
		t.Fatalf("within the throttle window: %d mails, %d notices waiting", n, refs.PendingNotices())
	}
	clock.Advance(mail.ThrottleWindow)
	if err := refs.FlushNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 2 || app.TestMailer.LastMessage().Subject != "1 new successful referral on Linkbase" {
		t.Fatalf("after the window: %d mails, last %q", n, app.TestMailer.LastMessage().Subject)
	}
	if refs.PendingNotices() != 0 {
		t.Fatalf("%d notices left", refs.PendingNotices())
	}
}

// TestNoticesWaitOutAFailedRead: a referrer who cannot be read (the
// database failed, not the user deleted) keeps their news for the next
// flush.
func TestNoticesWaitOutAFailedRead(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rename := func(from, to string) {
		t.Helper()
		if _, err := app.DB().NewQuery("ALTER TABLE " + from + " RENAME TO " + to).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	refs.NoteSuccess(ann.Id)
	rename("users", "users_away")
	if err := refs.FlushNotices(ctx); err == nil {
		t.Fatal("a flush that could not read the referrer reported no error")
	}
	rename("users_away", "users")
	if refs.PendingNotices() != 1 {
		t.Fatalf("%d notices waiting after a failed read, want 1", refs.PendingNotices())
	}
	if err := refs.FlushNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 || refs.PendingNotices() != 0 {
		t.Fatalf("%d mails, %d notices waiting; want 1 and 0", n, refs.PendingNotices())
	}
}
