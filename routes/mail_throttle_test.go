package routes_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/stores"
	"linkbase/testutil"
)

// TestMailThrottleCoversPocketBasesRoutes: one reset and one verification
// mail per address per 2 minutes, whichever route asks, ours or
// PocketBase's (issue 12: PocketBase's request-password-reset sent a
// second mail past our throttle); each answers 204 as before. What reaches
// PocketBase's sending step is counted by a hook bound after ours.
func TestMailThrottleCoversPocketBasesRoutes(t *testing.T) {
	for _, c := range []struct {
		name         string
		first, then  string // "ours" or "pocketbase"
		ours, pb     string
		wantPBSends  int32
		wantOurMails int
	}{
		{"reset: ours, then PocketBase's", "ours", "pocketbase", "/api/forgot-password", "/api/collections/users/request-password-reset", 0, 1},
		{"reset: PocketBase's, then ours", "pocketbase", "ours", "/api/forgot-password", "/api/collections/users/request-password-reset", 1, 0},
		{"reset: PocketBase's twice", "pocketbase", "pocketbase", "/api/forgot-password", "/api/collections/users/request-password-reset", 1, 0},
		{"verification: ours, then PocketBase's", "ours", "pocketbase", "/api/request-verification", "/api/collections/users/request-verification", 0, 1},
		{"verification: PocketBase's, then ours", "pocketbase", "ours", "/api/request-verification", "/api/collections/users/request-verification", 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := testutil.Factory(t)
			t.Cleanup(app.Cleanup)
			testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
			var reachedPB atomic.Int32
			count := func(e *core.RequestEvent) { reachedPB.Add(1) }
			app.OnRecordRequestPasswordResetRequest().BindFunc(func(e *core.RecordRequestPasswordResetRequestEvent) error {
				count(e.RequestEvent)
				return e.NoContent(http.StatusNoContent) // stands for PocketBase's send
			})
			app.OnRecordRequestVerificationRequest().BindFunc(func(e *core.RecordRequestVerificationRequestEvent) error {
				count(e.RequestEvent)
				return e.NoContent(http.StatusNoContent)
			})
			h := serve(t, app)
			for _, route := range []string{c.first, c.then} {
				// Ours takes any form of the address; PocketBase looks it
				// up as typed.
				url, email := c.ours, "Ann@Example.com."
				if route == "pocketbase" {
					url, email = c.pb, "ann@example.com"
				}
				if rec := testutil.Send(h, http.MethodPost, url, `{"email":"`+email+`"}`, nil); rec.Code != http.StatusNoContent {
					t.Fatalf("%s: %d %s", url, rec.Code, rec.Body)
				}
			}
			stores.Of(app).Mail.Wait()
			if reachedPB.Load() != c.wantPBSends || app.TestMailer.TotalSend() != c.wantOurMails {
				t.Fatalf("PocketBase sent %d and we sent %d mails, want %d and %d", reachedPB.Load(), app.TestMailer.TotalSend(), c.wantPBSends, c.wantOurMails)
			}
		})
	}
}

// TestPocketBaseSendsNoResetMailToADisabledAccount: as on our route.
func TestPocketBaseSendsNoResetMailToADisabledAccount(t *testing.T) {
	app := withAnnAndDan(nil)(t)
	t.Cleanup(app.Cleanup)
	var reached atomic.Int32
	app.OnRecordRequestPasswordResetRequest().BindFunc(func(e *core.RecordRequestPasswordResetRequestEvent) error {
		reached.Add(1)
		return e.Next()
	})
	h := serve(t, app)
	if rec := testutil.Send(h, http.MethodPost, "/api/collections/users/request-password-reset", `{"email":"dan@example.com"}`, nil); rec.Code != http.StatusNoContent || reached.Load() != 0 {
		t.Fatalf("%d, reached the send %d times", rec.Code, reached.Load())
	}
}

// TestEmailChangeMailsAreThrottledByTheNewAddress: PocketBase's
// request-email-change mails the address it is given; it is held to the
// mail throttle by that address, whichever account asks and however the
// address is spelled, so a signed-in account cannot flood a mailbox. Each
// request gets PocketBase's 204; another address still gets its mail.
func TestEmailChangeMailsAreThrottledByTheNewAddress(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	h := serve(t, app)
	for i, c := range []struct {
		user      *core.Record
		newEmail  string
		wantMails int
	}{
		{ann, "victim@example.com", 1},
		{ann, "victim@example.com", 1},
		{bob, "Victim@Example.com", 1},
		{ann, "ann.new@example.com", 2},
	} {
		rec := testutil.Send(h, http.MethodPost, "/api/collections/users/request-email-change", `{"newEmail":"`+c.newEmail+`"}`,
			map[string]string{"Authorization": testutil.Token(t, c.user)})
		if rec.Code != http.StatusNoContent || app.TestMailer.TotalSend() != c.wantMails {
			t.Fatalf("request %d (%s): %d %s, %d mails sent, want %d", i, c.newEmail, rec.Code, rec.Body, app.TestMailer.TotalSend(), c.wantMails)
		}
	}
}
