package routes_test

import (
	"net/http"
	"net/url"
	"testing"

	"linkbase/testutil"
)

// TestLoginPageSendsSessionsOnlyToThisSite: a browser with a session that
// opens /login?next=… is sent on, but only to a path of this site,
// whatever the browser would make of the target (issue 12's payloads
// among them).
func TestLoginPageSendsSessionsOnlyToThisSite(t *testing.T) {
	app := withAnn(t)
	t.Cleanup(app.Cleanup)
	h := serve(t, app)
	cookie := sessionHeaders(t, app, testutil.Token(t, testutil.FindUser(t, app, "ann")))

	for next, want := range map[string]string{
		"/%09/evil.com":             "/dashboard",
		"/%0A/evil.com":             "/dashboard",
		"/%0D/evil.com":             "/dashboard",
		"/%09%5C/evil.com":          "/dashboard",
		"%2F%2Fevil.com":            "/dashboard",
		"/%5Cevil.com":              "/dashboard",
		"https://evil.com/":         "/dashboard",
		"javascript:alert(1)":       "/dashboard",
		"":                          "/dashboard",
		"/ann":                      "/ann",
		"/dashboard%23analytics":    "/dashboard#analytics",
		"http://localhost:8090/ann": "/ann",
	} {
		rec := testutil.Send(h, http.MethodGet, "/login?next="+next, "", cookie)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("next=%s: %d to %q, want 303 to %q", next, rec.Code, rec.Header().Get("Location"), want)
		}
	}
	if rec := testutil.Send(h, http.MethodGet, "/login?next="+url.QueryEscape("//evil.com"), "", nil); rec.Code != http.StatusOK {
		t.Errorf("without a session: %d, want the page", rec.Code)
	}
}
