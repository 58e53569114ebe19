package routes_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestReferralQR(t *testing.T) {
	png := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cache-Control") != "private, max-age=3600" {
			t.Errorf("headers %v", res.Header)
		}
	}
	byHeader, loginByHeader := authAs("ann", false)
	byCookie, loginByCookie := authAs("ann", true)
	run(t, []tests.ApiScenario{
		{
			Name: "without a session", Method: http.MethodGet, URL: "/api/referral-code/qr.png",
			TestAppFactory: withAnn, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
		},
		{
			Name: "with a token", Method: http.MethodGet, URL: "/api/referral-code/qr.png",
			TestAppFactory: withAnn, Headers: byHeader, BeforeTestFunc: loginByHeader,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"\x89PNG\r\n\x1a\n"}, AfterTestFunc: png,
		},
		{
			Name: "with the session cookie, as the dashboard's img asks", Method: http.MethodGet, URL: "/api/referral-code/qr.png?code=whatever",
			TestAppFactory: withAnn, Headers: byCookie, BeforeTestFunc: loginByCookie,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"\x89PNG\r\n\x1a\n"}, AfterTestFunc: png,
		},
	})
}

// TestReferralQRFollowsTheCode: the picture is of the link built from the
// app URL and the current code, never from the request's Host.
func TestReferralQRFollowsTheCode(t *testing.T) {
	app := testutil.NewApp(t)
	handler := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	get := func(host string) []byte {
		req := httptest.NewRequest(http.MethodGet, "/api/referral-code/qr.png", nil)
		req.Host = host
		req.Header.Set("Authorization", testutil.Token(t, ann))
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	first := get("localhost:8090")
	if !bytes.Equal(first, get("evil.example")) {
		t.Error("the QR code depends on the Host header")
	}
	ann.Set(schema.UserReferralCode, "zzzz2222")
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first, get("localhost:8090")) {
		t.Error("a new code gave the same QR code")
	}
}
