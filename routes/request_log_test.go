package routes_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"

	"linkbase/testutil"
)

// TestHotPublicRoutesLogOnlyErrors: a flood of a public profile, its
// clicks, QR code, stylesheet and link preview, the pages' files, and the
// sign-up page of a referral link
// writes nothing to PocketBase's request log (issue 12: at about 430 bytes
// an entry, 60 s of clicks left the log 215,000 entries behind and the heap
// growing), while their errors are still logged, and other routes are
// logged as before.
func TestHotPublicRoutesLogOnlyErrors(t *testing.T) {
	app := annWithLinks(t)
	t.Cleanup(app.Cleanup)
	testutil.RelaxRateLimits(t, app)
	settings := app.Settings()
	settings.Logs.MaxDays = 5 // as in production; test apps keep no logs
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	h := testutil.Handler(t, app)
	ann := testutil.FindUser(t, app, "ann")

	hot := []string{
		"/api/profiles/ann", "/ann", "/l/" + testutil.LinkID("first"), "/api/profiles/ann/qr.png",
		"/api/profiles/ann/theme.css", "/register?referral=" + ann.GetString("referral_code"),
		"/ann/og.png", "/robots.txt", "/sitemap.xml", "/assets/app.css",
	}
	for _, url := range hot {
		for range 50 {
			if rec := testutil.Send(h, http.MethodGet, url, "", nil); rec.Code >= 400 {
				t.Fatalf("%s: %d", url, rec.Code)
			}
		}
	}
	for _, url := range []string{"/api/profiles/nobody", "/l/nolinkatall0000"} {
		if rec := testutil.Send(h, http.MethodGet, url, "", nil); rec.Code != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", url, rec.Code)
		}
	}
	testutil.Send(h, http.MethodGet, "/api/health", "", nil) // not hot: logged

	// PocketBase logs each request from a goroutine of its own: wait for
	// the three that must be there (logged after every hot request was
	// answered), then read them all.
	logged := map[string]int{}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		logged = requestLog(t, app)
		if logged["/api/profiles/nobody"] > 0 && logged["/l/nolinkatall0000"] > 0 && logged["/api/health"] > 0 {
			break
		}
	}
	logged = requestLog(t, app)
	for _, url := range hot {
		if logged[url] != 0 {
			t.Errorf("%s: %d successes logged, want none", url, logged[url])
		}
	}
	for _, url := range []string{"/api/profiles/nobody", "/l/nolinkatall0000", "/api/health"} {
		if logged[url] != 1 {
			t.Errorf("%s: logged %d times, want once (%v)", url, logged[url], logged)
		}
	}
}

// requestLog counts the entries of PocketBase's request log by URL, once
// the logger has written what it holds.
func requestLog(t *testing.T, app core.App) map[string]int {
	t.Helper()
	if err := app.Logger().Handler().(*logger.BatchHandler).WriteAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		URL string `db:"url"`
	}
	err := app.AuxDB().NewQuery("SELECT json_extract(data, '$.url') AS url FROM _logs WHERE json_extract(data, '$.type') = 'request'").All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]int{}
	for _, r := range rows {
		logged[r.URL]++
	}
	return logged
}
