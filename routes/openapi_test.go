package routes_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/testutil"
)

func TestOpenAPIDocument(t *testing.T) {
	doc := testutil.LoadAPIDoc(t) // fails on an invalid document
	if doc.Doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.Doc.OpenAPI)
	}
	env := newPasskeyEnv(t, nil)
	res, raw := env.call(t, http.MethodGet, "/api/openapi.json", nil, nil)
	var served struct {
		OpenAPI string              `json:"openapi"`
		Servers []map[string]string `json:"servers"`
		Paths   map[string]any      `json:"paths"`
	}
	if err := json.Unmarshal(raw, &served); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", res.StatusCode, err)
	}
	if len(served.Servers) != 1 || served.Servers[0]["url"] != "http://localhost:8090" || len(served.Paths) != len(doc.Doc.Paths.Map()) {
		t.Fatalf("served %v, %d paths", served.Servers, len(served.Paths))
	}
}

// TestEveryCustomAPIRouteIsDocumented: every route Linkbase registers under
// /api (all routes of the served router but PocketBase's own) is in
// openapi.json, so a new endpoint cannot be forgotten.
func TestEveryCustomAPIRouteIsDocumented(t *testing.T) {
	app := testutil.NewApp(t)
	var served []string
	testutil.Handler(t, app, func(se *core.ServeEvent) { served = testutil.RoutesOf(se.Router) })
	pb, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	own := testutil.RoutesOf(pb)
	doc := testutil.LoadAPIDoc(t)
	custom := 0
	for _, r := range served {
		method, path, _ := strings.Cut(r, " ")
		if slices.Contains(own, r) || !strings.HasPrefix(path, "/api/") {
			continue
		}
		custom++
		if !doc.Has(method, path) {
			t.Errorf("%s is not described in apidoc/openapi.json", r)
		}
	}
	if custom < 20 {
		t.Fatalf("found only %d custom /api routes in %v: the route walk is broken", custom, served)
	}
}

// TestOpenAPIAnswers sends real requests to every documented endpoint,
// answered and refused, and validates each answer (and each well-formed
// request) against openapi.json with kin-openapi.
func TestOpenAPIAnswers(t *testing.T) {
	doc := testutil.LoadAPIDoc(t)
	env := newPasskeyEnv(t, nil)
	ann := env.ann
	testutil.CreateUser(t, env.app, "bob@example.com", "bob", map[string]any{"referred_by": annID}) // a referral to list
	zed := testutil.CreateUser(t, env.app, "zed@example.com", "zed", nil)
	link := testutil.SeedLink(t, env.app, ann, "shop", 1, nil)
	key := testutil.NewAuthenticator(t, appOrigin, "localhost")
	passkeyID := mustRegister(t, env, ann, key)

	type call struct {
		method, url, body string
		user              *core.Record
		headers           map[string]string
		status            int
		wellFormed        bool // the request itself matches the document
	}
	var etag string
	run := func(c call) {
		t.Helper()
		req := httptestRequest(c.method, c.url, c.body)
		if c.user != nil {
			req.Header.Set("Authorization", testutil.Token(t, c.user))
		}
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		rec := serveReq(env.h, req)
		res := rec.Result()
		if res.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d: %s", c.method, c.url, res.StatusCode, c.status, rec.Body.String())
			return
		}
		if c.url == "/api/profiles/ann" && res.StatusCode == http.StatusOK {
			etag = res.Header.Get("ETag")
		}
		doc.Check(t, httptestRequest(c.method, c.url, c.body), []byte(c.body), res, rec.Body.Bytes(), c.wellFormed)
	}

	login := `{"identity":"ann","password":"` + testutil.Password + `"}`
	for _, c := range []call{
		{"POST", "/api/register", `{"email":"new@example.com","username":"newbie","password":"quiet-river-5512"}`, nil, nil, 201, true},
		{"POST", "/api/register", `{"email":"nope","username":"x","password":"short","referral_code":"zzzzzzzz"}`, nil, nil, 400, true},
		{"POST", "/api/register", `{"email":1}`, nil, nil, 400, false},
		{"POST", "/api/register", `{"email":"a@example.com"}`, nil, map[string]string{"Origin": "https://evil.example"}, 403, false},
		{"POST", "/api/login", login, nil, nil, 200, true},
		{"POST", "/api/login", `{"identity":"ann","password":"not-the-password-1"}`, nil, nil, 401, true},
		{"POST", "/api/login", `{}`, nil, nil, 400, false},
		{"POST", "/api/logout", `{}`, nil, nil, 204, true},
		{"POST", "/api/logout", `{"everywhere":true}`, nil, nil, 401, true},
		{"GET", "/api/me", "", ann, nil, 200, true},
		{"GET", "/api/me", "", nil, nil, 401, false},
		{"GET", "/api/me/export", "", ann, nil, 200, true},
		{"GET", "/api/me/export", "", nil, nil, 401, false},
		{"POST", "/api/me/delete", `{"password":"not-the-password-1"}`, ann, nil, 400, true},
		{"POST", "/api/forgot-password", `{"email":"ann@example.com"}`, nil, nil, 204, true},
		{"POST", "/api/forgot-password", `{"email":"nope"}`, nil, nil, 400, true},
		{"POST", "/api/reset-password", `{"token":"bad","password":"copper-meadow-4821"}`, nil, nil, 400, true},
		{"POST", "/api/request-verification", `{"email":"ann@example.com"}`, nil, nil, 204, true},
		{"POST", "/api/verify-email", `{"token":"bad"}`, nil, nil, 400, true},
		{"GET", "/api/referrals", "", ann, nil, 200, true},
		{"GET", "/api/referrals?page=0&status=pending", "", ann, nil, 400, true},
		{"GET", "/api/referral-stats", "", ann, nil, 200, true},
		{"GET", "/api/referral-stats", "", nil, nil, 401, false},
		{"GET", "/api/referral-code/qr.png", "", ann, nil, 200, true},
		{"GET", "/api/profiles/ann", "", nil, nil, 200, true},
		{"GET", "/api/profiles/nobody", "", nil, nil, 404, true},
		{"GET", "/api/profiles/ann/qr.png", "", nil, nil, 200, true},
		{"GET", "/api/profiles/ann/theme.css", "", nil, nil, 200, true},
		{"GET", "/api/analytics?days=7", "", ann, nil, 200, true},
		{"GET", "/api/analytics?days=0", "", ann, nil, 400, true},
		{"POST", "/api/passkeys/register/options", `{}`, ann, nil, 200, true},
		{"POST", "/api/passkeys/register", `{"credential":{"id":"x","type":"public-key","response":{}}}`, ann, nil, 400, true},
		{"POST", "/api/passkeys/register", `{"name":"x"}`, ann, nil, 400, false},
		{"GET", "/api/passkeys", "", ann, nil, 200, true},
		{"DELETE", "/api/passkeys/unknown000000001", "", ann, nil, 404, true},
		{"POST", "/api/passkeys/login/options", `{}`, nil, nil, 200, true},
		{"POST", "/api/passkeys/login", `{"credential":{"id":"x","type":"public-key","response":{}}}`, nil, nil, 401, true},
		{"GET", "/api/openapi.json", "", nil, nil, 200, true},
		{"GET", "/api/metrics", "", nil, nil, 401, false},
		{"GET", "/l/" + link.Id, "", nil, nil, 302, true},
		{"POST", "/api/links/order", `{"ids":["` + link.Id + `"]}`, ann, nil, 200, true},
		{"POST", "/api/links/order", `{"ids":["` + link.Id + `","` + link.Id + `"]}`, ann, nil, 400, true},
		{"POST", "/api/links/order", `{"ids":"x"}`, ann, nil, 400, false},
		{"POST", "/api/links/order", `{"ids":[]}`, nil, nil, 401, true},
		{"GET", "/ann/og.png", "", nil, nil, 200, true},
		{"GET", "/nobody/og.png", "", nil, nil, 404, true},
		{"GET", "/robots.txt", "", nil, nil, 200, true},
		{"GET", "/sitemap.xml", "", nil, nil, 200, true},
		{"GET", "/sitemap.xml?page=9", "", nil, nil, 404, true},
		{"POST", "/api/referral-code/regenerate", `{}`, ann, nil, 200, true},
	} {
		run(c)
	}
	run(call{"GET", "/api/profiles/ann", "", nil, map[string]string{"If-None-Match": etag}, 304, true})

	// A real passkey login, then the remaining writes.
	options := env.loginOptions(t)
	assertion, _ := json.Marshal(map[string]any{"credential": json.RawMessage(key.Assert(t, options))})
	run(call{"POST", "/api/passkeys/login", string(assertion), nil, nil, 200, true})
	run(call{"DELETE", "/api/passkeys/" + passkeyID, "", ann, nil, 204, true})
	run(call{"POST", "/api/me/delete", `{"password":"` + testutil.Password + `"}`, zed, nil, 204, true})

	// MFA's answer on our login routes.
	mfa := newPasskeyEnv(t, enableMFA)
	req := httptestRequest("POST", "/api/login", login)
	rec := serveReq(mfa.h, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("MFA login: %d", rec.Code)
	}
	doc.Check(t, httptestRequest("POST", "/api/login", login), []byte(login), rec.Result(), rec.Body.Bytes(), true)
}

func httptestRequest(method, url, body string) *http.Request {
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func serveReq(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
