package routes_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// The tests of API.md's "Authentication on every path": cookies on every
// successful auth, MFA through POST /api/login, disabled accounts answered
// like wrong credentials, and auth origins and alerts on our route.

// authHandler is an app with ann, its handler, and fn applied to the users
// collection before anything is served (e.g. turning MFA on).
func authHandler(t *testing.T, configure func(users *core.Collection)) (*tests.TestApp, http.Handler, *core.Record) {
	t.Helper()
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	if configure != nil {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			t.Fatal(err)
		}
		configure(users)
		if err := app.Save(users); err != nil {
			t.Fatal(err)
		}
	}
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID})
	return app, testutil.Handler(t, app), ann
}

// sendRes is send (referral_helpers_test.go) answering an *http.Response.
func sendRes(h http.Handler, method, url, body string, headers map[string]string) *http.Response {
	return testutil.Send(h, method, url, body, headers).Result()
}

func decode(t *testing.T, res *http.Response) map[string]any {
	t.Helper()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer %d is not a JSON object: %s", res.StatusCode, raw)
	}
	return out
}

// requireSession checks that res set the session cookie to the token it
// answered with, and the CSRF token bound to that session.
func requireSession(t *testing.T, app core.App, res *http.Response, answer map[string]any) {
	t.Helper()
	token, _ := answer["token"].(string)
	session, csrfCookie := cookieOf(res, "session"), cookieOf(res, "csrf_token")
	if token == "" || session == nil || session.Value != token || !session.HttpOnly {
		t.Fatalf("want the session cookie holding the answered token; token %q, cookie %+v", token, session)
	}
	want, err := stores.Of(app).CSRF.For(token)
	if err != nil {
		t.Fatal(err)
	}
	if csrfCookie == nil || csrfCookie.Value != want {
		t.Fatalf("want the csrf_token bound to the session, got %+v", csrfCookie)
	}
}

// newOTP stores a one-time password for user, as request-otp would mail it.
func newOTP(t *testing.T, app core.App, user *core.Record, password string) string {
	t.Helper()
	otp := core.NewOTP(app)
	otp.SetCollectionRef(user.Collection().Id)
	otp.SetRecordRef(user.Id)
	otp.SetPassword(password)
	if err := app.Save(otp); err != nil {
		t.Fatal(err)
	}
	return otp.Id
}

func enableOTP(users *core.Collection) { users.OTP.Enabled = true }

func enableMFA(users *core.Collection) {
	users.OTP.Enabled = true
	users.MFA.Enabled = true
}

func TestSessionCookiesOnEveryAuthPath(t *testing.T) {
	password := `{"identity":"ann@example.com","password":"` + testutil.Password + `"}`
	for _, c := range []struct {
		name string
		do   func(t *testing.T, app *tests.TestApp, h http.Handler, ann *core.Record) *http.Response
	}{
		{"POST /api/login", func(t *testing.T, _ *tests.TestApp, h http.Handler, _ *core.Record) *http.Response {
			return sendRes(h, http.MethodPost, "/api/login", password, nil)
		}},
		{"PocketBase's auth-with-password", func(t *testing.T, _ *tests.TestApp, h http.Handler, _ *core.Record) *http.Response {
			return sendRes(h, http.MethodPost, "/api/collections/users/auth-with-password", password, nil)
		}},
		{"PocketBase's auth-with-otp", func(t *testing.T, app *tests.TestApp, h http.Handler, ann *core.Record) *http.Response {
			id := newOTP(t, app, ann, "123456")
			return sendRes(h, http.MethodPost, "/api/collections/users/auth-with-otp", `{"otpId":"`+id+`","password":"123456"}`, nil)
		}},
		{"PocketBase's auth-refresh", func(t *testing.T, _ *tests.TestApp, h http.Handler, ann *core.Record) *http.Response {
			return sendRes(h, http.MethodPost, "/api/collections/users/auth-refresh", "", map[string]string{"Authorization": testutil.Token(t, ann)})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, h, ann := authHandler(t, enableOTP)
			res := c.do(t, app, h, ann)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			requireSession(t, app, res, decode(t, res))
		})
	}
}

func TestImpersonationSetsNoBrowserSession(t *testing.T) {
	app, h, _ := authHandler(t, nil)
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	admin := core.NewRecord(superusers)
	admin.SetEmail("admin@example.com")
	admin.SetPassword(testutil.Password)
	if err := app.Save(admin); err != nil {
		t.Fatal(err)
	}
	res := sendRes(h, http.MethodPost, "/api/collections/users/impersonate/"+annID, `{}`, map[string]string{"Authorization": testutil.Token(t, admin)})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if c := cookieOf(res, "session"); c != nil {
		t.Fatalf("impersonating ann set a session cookie in the superuser's browser: %+v", c)
	}
}

func TestLoginWithMFA(t *testing.T) {
	app, h, ann := authHandler(t, enableMFA)
	res := sendRes(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, nil)
	first := decode(t, res)
	mfaID, _ := first["mfaId"].(string)
	if res.StatusCode != http.StatusUnauthorized || mfaID == "" || first["token"] != nil {
		t.Fatalf("a correct first factor must answer 401 {mfaId} and no token; got %d %v", res.StatusCode, first)
	}
	if len(res.Cookies()) != 0 {
		t.Fatalf("no cookie before the second factor, got %v", res.Cookies())
	}

	// The same password again is not a second factor.
	res = sendRes(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`","mfaId":"`+mfaID+`"}`, nil)
	if res.StatusCode != http.StatusBadRequest || len(res.Cookies()) != 0 {
		t.Fatalf("password twice: status %d, cookies %v", res.StatusCode, res.Cookies())
	}

	// PocketBase's OTP completes it.
	otpID := newOTP(t, app, ann, "654321")
	res = sendRes(h, http.MethodPost, "/api/collections/users/auth-with-otp", `{"otpId":"`+otpID+`","password":"654321","mfaId":"`+mfaID+`"}`, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the second factor: status %d", res.StatusCode)
	}
	requireSession(t, app, res, decode(t, res))
}

func TestLoginCompletesAnOTPFirstFactor(t *testing.T) {
	app, h, ann := authHandler(t, enableMFA)
	otpID := newOTP(t, app, ann, "111222")
	res := sendRes(h, http.MethodPost, "/api/collections/users/auth-with-otp", `{"otpId":"`+otpID+`","password":"111222"}`, nil)
	mfaID, _ := decode(t, res)["mfaId"].(string)
	if res.StatusCode != http.StatusUnauthorized || mfaID == "" {
		t.Fatalf("OTP first: status %d", res.StatusCode)
	}
	res = sendRes(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`","mfaId":"`+mfaID+`"}`, nil)
	answer := decode(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("password second: status %d %v", res.StatusCode, answer)
	}
	if user, _ := answer["user"].(map[string]any); user["username"] != "ann" {
		t.Fatalf("want our {token, user} shape, got %v", answer)
	}
	requireSession(t, app, res, answer)
}

func TestPocketBasePasswordLoginWithMFASetsNoCookie(t *testing.T) {
	_, h, _ := authHandler(t, enableMFA)
	res := sendRes(h, http.MethodPost, "/api/collections/users/auth-with-password", `{"identity":"ann","password":"`+testutil.Password+`"}`, nil)
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Fatalf("status %d, cookies %v", res.StatusCode, res.Cookies())
	}
}

// TestDisabledAccountsAnswerLikeWrongCredentials compares, on each login
// route, the answer to a disabled account's right credentials with the
// answer to wrong ones.
func TestDisabledAccountsAnswerLikeWrongCredentials(t *testing.T) {
	for _, c := range []struct {
		name     string
		right    func(t *testing.T, app core.App, ann *core.Record) (string, string)
		wrong    func(t *testing.T, app core.App, ann *core.Record) (string, string)
		wantCode int
	}{
		{"POST /api/login", func(t *testing.T, _ core.App, _ *core.Record) (string, string) {
			return "/api/login", `{"identity":"ann","password":"` + testutil.Password + `"}`
		}, func(t *testing.T, _ core.App, _ *core.Record) (string, string) {
			return "/api/login", `{"identity":"ann","password":"not-the-password-1"}`
		}, http.StatusUnauthorized},
		{"auth-with-password", func(t *testing.T, _ core.App, _ *core.Record) (string, string) {
			return "/api/collections/users/auth-with-password", `{"identity":"ann","password":"` + testutil.Password + `"}`
		}, func(t *testing.T, _ core.App, _ *core.Record) (string, string) {
			return "/api/collections/users/auth-with-password", `{"identity":"ann","password":"not-the-password-1"}`
		}, http.StatusBadRequest},
		{"auth-with-otp", func(t *testing.T, app core.App, ann *core.Record) (string, string) {
			return "/api/collections/users/auth-with-otp", `{"otpId":"` + newOTP(t, app, ann, "123456") + `","password":"123456"}`
		}, func(t *testing.T, app core.App, ann *core.Record) (string, string) {
			return "/api/collections/users/auth-with-otp", `{"otpId":"` + newOTP(t, app, ann, "123456") + `","password":"654321"}`
		}, http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, h, ann := authHandler(t, enableOTP)
			ann.Set(schema.UserDisabled, true)
			if err := app.Save(ann); err != nil {
				t.Fatal(err)
			}
			url, b := c.wrong(t, app, ann)
			wrong := sendRes(h, http.MethodPost, url, b, nil)
			wrongBody, _ := io.ReadAll(wrong.Body)
			url, b = c.right(t, app, ann)
			right := sendRes(h, http.MethodPost, url, b, nil)
			rightBody, _ := io.ReadAll(right.Body)
			if wrong.StatusCode != c.wantCode || right.StatusCode != wrong.StatusCode || string(rightBody) != string(wrongBody) {
				t.Fatalf("disabled account with the right credentials: %d %s; wrong credentials: %d %s",
					right.StatusCode, rightBody, wrong.StatusCode, wrongBody)
			}
			if len(right.Cookies()) != 0 {
				t.Fatalf("cookies set for a disabled account: %v", right.Cookies())
			}
		})
	}
}

// TestLoginRecordsAuthOriginsAndAlerts: POST /api/login goes through
// PocketBase's auth response, so it keeps _authOrigins and mails an alert
// for a login from a new device, as auth-with-password does.
func TestLoginRecordsAuthOriginsAndAlerts(t *testing.T) {
	app, h, ann := authHandler(t, func(users *core.Collection) { users.AuthAlert.Enabled = true })
	login := `{"identity":"ann","password":"` + testutil.Password + `"}`
	for i, ua := range []string{"Browser A", "Browser A", "Browser B"} {
		if res := sendRes(h, http.MethodPost, "/api/login", login, map[string]string{"User-Agent": ua}); res.StatusCode != http.StatusOK {
			t.Fatalf("login %d: status %d", i, res.StatusCode)
		}
	}
	origins, err := app.FindAllAuthOriginsByRecord(ann)
	if err != nil || len(origins) != 2 {
		t.Fatalf("want 2 auth origins (one per device), got %d (%v)", len(origins), err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("want 1 new-location alert (the first login sends none), got %d mails", n)
	}
}

// TestCSRFTokenIsBoundToTheSession: a cookie and header pair that the
// server did not issue for the session in the cookie is refused.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	app, h, ann := authHandler(t, nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	annToken, bobToken := testutil.Token(t, ann), testutil.Token(t, bob)
	bobCSRF, _ := stores.Of(app).CSRF.For(bobToken)
	annCSRF, _ := stores.Of(app).CSRF.For(annToken)
	patch := func(session, cookieCSRF, header string) int {
		return sendRes(h, http.MethodPatch, "/api/collections/users/records/"+annID, `{"display_name":"Ann"}`, map[string]string{
			"Cookie":       "session=" + session + "; csrf_token=" + cookieCSRF,
			"X-CSRF-Token": header,
		}).StatusCode
	}
	for _, c := range []struct {
		name               string
		cookieCSRF, header string
		want               int
	}{
		{"the pair issued for this session", annCSRF, annCSRF, http.StatusOK},
		{"a matching pair the server never issued", "attacker-chosen", "attacker-chosen", http.StatusForbidden},
		{"another session's pair", bobCSRF, bobCSRF, http.StatusForbidden},
		{"the right header with another cookie", bobCSRF, annCSRF, http.StatusForbidden},
	} {
		if got := patch(annToken, c.cookieCSRF, c.header); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}

	// The cookies a login sets work together.
	res := sendRes(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, nil)
	session, token := cookieOf(res, "session"), cookieOf(res, "csrf_token")
	if got := patch(session.Value, token.Value, token.Value); got != http.StatusOK {
		t.Errorf("the login's own cookies: status %d", got)
	}
}

// TestOriginComparedWithSchemeAndPort: the request's own host is the same
// origin only with the same scheme and port.
func TestOriginComparedWithSchemeAndPort(t *testing.T) {
	app, h, ann := authHandler(t, nil)
	token := testutil.Token(t, ann)
	csrfToken, _ := stores.Of(app).CSRF.For(token)
	for _, c := range []struct {
		origin string
		want   int
	}{
		{"http://example.com", http.StatusOK}, // httptest's Host, over plain HTTP
		{"http://localhost:8090", http.StatusOK},
		{"https://example.com", http.StatusForbidden},
		{"http://example.com:8080", http.StatusForbidden},
		{"https://localhost:8090", http.StatusForbidden},
		{"http://localhost:9999", http.StatusForbidden},
		{"null", http.StatusForbidden},
	} {
		res := sendRes(h, http.MethodPatch, "/api/collections/users/records/"+annID, `{"display_name":"Ann"}`, map[string]string{
			"Cookie":       "session=" + token + "; csrf_token=" + csrfToken,
			"X-CSRF-Token": csrfToken,
			"Origin":       c.origin,
		})
		if res.StatusCode != c.want {
			t.Errorf("Origin %s: status %d, want %d", c.origin, res.StatusCode, c.want)
		}
	}
}
