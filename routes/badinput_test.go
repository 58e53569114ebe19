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

// badBodies are the hostile inputs of SECURITY.md, each sent to every
// account endpoint. The invariant: a clear 4xx, never a 5xx, nothing stored.
var badBodies = map[string]string{
	"empty object":          `{}`,
	"not JSON":              `{"email":`,
	"JSON array":            `["ann@example.com"]`,
	"JSON string":           `"ann"`,
	"JSON null":             `null`,
	"number":                `42`,
	"wrong types":           `{"email":1,"username":true,"password":{"a":1},"referral_code":[1],"identity":2,"everywhere":"x"}`,
	"nested arrays":         `{"email":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`,
	"NUL bytes":             `{"email":"ann\u0000@example.com","username":"an\u0000n","password":"quiet\u0000river-5512","identity":"ann\u0000"}`,
	"invalid UTF-8":         "{\"email\":\"ann\xff@example.com\",\"username\":\"ann\xfe\",\"password\":\"quiet-river-5512\xff\"}",
	"10k-character email":   `{"email":"` + strings.Repeat("a", 10000) + `@example.com","username":"ann","password":"quiet-river-5512"}`,
	"10k-character name":    `{"email":"ann@example.com","username":"` + strings.Repeat("a", 10000) + `","password":"quiet-river-5512"}`,
	"10k-character secret":  `{"email":"ann@example.com","username":"ann","password":"` + strings.Repeat("a", 10000) + `","identity":"ann"}`,
	"SQL metacharacters":    `{"email":"' OR '1'='1@example.com","username":"ann'; DROP TABLE users; --","password":"' OR 1=1 --","identity":"' OR 1=1 --","referral_code":"' OR 1=1 --"}`,
	"HTML metacharacters":   `{"email":"<script>alert(1)</script>@example.com","username":"<img src=x>","password":"quiet-river-5512","identity":"<b>"}`,
	"homoglyph username":    `{"email":"ann@example.com","username":"аnn","password":"quiet-river-5512"}`,
	"Kelvin-sign username":  `{"email":"kim@example.com","username":"\u212Aim","password":"quiet-river-5512"}`,
	"zero-width username":   `{"email":"ann@example.com","username":"an\u200bn","password":"quiet-river-5512"}`,
	"72-byte password":      `{"email":"ann@example.com","username":"ann","password":"` + strings.Repeat("é", 36) + `","identity":"ann"}`,
	"73-byte password":      `{"email":"ann@example.com","username":"ann","password":"` + strings.Repeat("é", 36) + `x","identity":"ann"}`,
	"unknown referral code": `{"email":"ann@example.com","username":"ann","password":"quiet-river-5512","referral_code":"<script>"}`,
	"huge body":             `{"email":"` + strings.Repeat("a", 20000) + `"}`,
}

func TestBadInputs(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	testutil.CreateUser(t, app, "zed@example.com", "zed", nil)
	handler := testutil.Handler(t, app)

	for _, path := range []string{"/api/register", "/api/login", "/api/logout"} {
		for name, payload := range badBodies {
			t.Run(path+" "+name, func(t *testing.T) {
				rec := testutil.Send(handler, http.MethodPost, path, payload, nil)
				if path == "/api/logout" && rec.Code == http.StatusNoContent {
					return // logout ignores what it does not know, and had no session
				}
				if rec.Code < 400 || rec.Code >= 500 {
					t.Fatalf("status %d, want a 4xx: %s", rec.Code, rec.Body)
				}
				if !strings.Contains(rec.Body.String(), `"message":"`) {
					t.Fatalf("want a PocketBase error body, got %s", rec.Body)
				}
				for _, leak := range []string{"sqlite", "SELECT", "panic", ".go:"} {
					if strings.Contains(rec.Body.String(), leak) {
						t.Fatalf("the answer reveals internals (%s): %s", leak, rec.Body)
					}
				}
			})
		}
	}
	if n, _ := app.CountRecords(schema.Users); n != 1 {
		t.Fatalf("%d users stored, want only the seeded one", n)
	}
}

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
		rec := testutil.Send(handler, method, target, body, map[string]string{"Authorization": token})
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
		{http.MethodPost, "/api/links/order", true},
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
			"/" + v + "/og.png",
			"/sitemap.xml?page=" + v,
			"/zed?utm_source=" + v,
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
