package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(payload)))
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
