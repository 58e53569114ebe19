package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// malformedBodies are refused whole by every custom endpoint (400): a body
// that is not a JSON object in valid UTF-8. Other hostile bodies may be
// valid for an endpoint that ignores the fields it does not know (a
// forgot-password with a valid email, a collection update naming no field
// of the collection); for those the invariant is "nothing changed".
var malformedBodies = []string{"not JSON", "JSON array", "JSON string", "number", "invalid UTF-8"}

// TestEveryEndpointRefusesBadInput sends SECURITY.md's hostile inputs to
// every endpoint that takes input, custom or collection API, as a logged-in
// user. The invariant: never a 5xx or panic, never internals in the answer,
// nothing stored (row counts and the user's and link's fields unchanged),
// and a 4xx for malformed bodies on the custom endpoints.
func TestEveryEndpointRefusesBadInput(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	zed := testutil.CreateUser(t, app, "zed@example.com", "zed", map[string]any{"id": "zed000000000001"})
	testutil.CreateUser(t, app, "amy@example.com", "amy", map[string]any{schema.UserReferredBy: zed.Id})
	links, _ := app.FindCollectionByNameOrId("links")
	link := core.NewRecord(links)
	link.Set("owner", zed.Id)
	link.Set("title", "Site")
	link.Set("url", "https://example.com")
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	token := testutil.Token(t, zed)
	handler := testutil.Handler(t, app)

	counts := func() map[string]int64 {
		out := map[string]int64{}
		for _, c := range []string{schema.Users, schema.Referrals, schema.Rewards, "links"} {
			out[c], _ = app.CountRecords(c)
		}
		return out
	}
	before := counts()
	exported := func(collection, id string) string {
		r, err := app.FindRecordById(collection, id)
		if err != nil {
			t.Fatal(err)
		}
		r.Unhide(r.Collection().Fields.FieldNames()...)
		fields := r.PublicExport()
		delete(fields, "updated") // a no-op update may touch it
		return fmt.Sprint(fields)
	}
	zedBefore, linkBefore := exported(schema.Users, zed.Id), exported("links", link.Id)

	send := func(t *testing.T, method, target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", token)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		for _, leak := range []string{"sqlite", "SELECT ", "goroutine ", ".go:"} {
			if strings.Contains(rec.Body.String(), leak) {
				t.Fatalf("%s %s reveals internals (%s): %s", method, target, leak, rec.Body)
			}
		}
		return rec
	}

	bodyEndpoints := []struct {
		method, path string
		custom       bool
	}{
		{http.MethodPost, "/api/register", true},
		{http.MethodPost, "/api/login", true},
		{http.MethodPost, "/api/logout", true},
		{http.MethodPost, "/api/forgot-password", true},
		{http.MethodPost, "/api/reset-password", true},
		{http.MethodPost, "/api/request-verification", true},
		{http.MethodPost, "/api/verify-email", true},
		{http.MethodPatch, "/api/collections/users/records/" + zed.Id, false},
		{http.MethodPost, "/api/collections/links/records", false},
		{http.MethodPatch, "/api/collections/links/records/" + link.Id, false},
	}
	for _, ep := range bodyEndpoints {
		for name, payload := range badBodies {
			t.Run(ep.method+" "+ep.path+" "+name, func(t *testing.T) {
				rec := send(t, ep.method, ep.path, payload)
				if ep.custom && slices.Contains(malformedBodies, name) && rec.Code != http.StatusBadRequest {
					t.Fatalf("%d, want 400 for a malformed body: %s", rec.Code, rec.Body)
				}
			})
		}
	}

	hostile := []string{"-1", "0", "abc", "99999999999999999999", "%00", "%ff%fe", "%3Cscript%3E", "'%20OR%201=1--", strings.Repeat("a", 5000)}
	for _, v := range hostile {
		for _, target := range []string{
			"/api/referrals?page=" + v + "&per_page=" + v + "&status=" + v,
			"/api/referral-stats?x=" + v,
			"/api/analytics?days=" + v,
			"/api/profiles/" + v,
			"/api/profiles/" + v + "/qr.png",
			"/api/profiles/" + v + "/theme.css",
			"/l/" + v,
			"/" + v,
			"/register?referral=" + v,
		} {
			t.Run("GET "+target[:min(len(target), 60)], func(t *testing.T) {
				rec := send(t, http.MethodGet, target, "")
				if strings.Contains(rec.Body.String(), "<script>") {
					t.Fatalf("unescaped input in the answer: %s", rec.Body)
				}
			})
		}
	}

	// Endpoints whose body is optional ignore what they do not know.
	send(t, http.MethodPost, "/api/referral-code/regenerate", `{"referral_code":"<script>","credits":999}`)

	after := counts()
	for c, n := range before {
		if after[c] != n {
			t.Errorf("%s: %d rows before, %d after", c, n, after[c])
		}
	}
	if got := exported("links", link.Id); got != linkBefore {
		t.Errorf("the link changed:\n%s\n%s", linkBefore, got)
	}
	// The user's record changes only by the one regenerate above.
	zedAfter := exported(schema.Users, zed.Id)
	fresh, _ := app.FindRecordById(schema.Users, zed.Id)
	zedBefore = strings.Replace(zedBefore, "referral_code:"+zed.GetString(schema.UserReferralCode), "referral_code:"+fresh.GetString(schema.UserReferralCode), 1)
	if zedAfter != zedBefore {
		t.Errorf("the user changed:\n%s\n%s", zedBefore, zedAfter)
	}
}
