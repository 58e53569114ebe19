package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/loginguard"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/testutil"
)

const invalidCredentials = `{"data":{},"message":"Invalid login credentials.","status":401}`

func TestLogin(t *testing.T) {
	// longPassword is allowed (71 bytes, 36 characters); with anything
	// appended, bcrypt would compare only its 72-byte prefix.
	longPassword := strings.Repeat("é", 35) + "k"
	withLong := seeded(func(t testing.TB, app *tests.TestApp) {
		u := testutil.CreateUser(t, app, "long@example.com", "long", nil)
		u.SetPassword(longPassword)
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, app, "off@example.com", "off", map[string]any{schema.UserDisabled: true})
	})
	login := func(identity, password string) *strings.Reader {
		return body(`{"identity":"` + identity + `","password":"` + password + `"}`)
	}
	run(t, []tests.ApiScenario{
		{
			Name: "by email in another case", Method: http.MethodPost, URL: "/api/login",
			Body: login(" ANN@Example.com", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"token":"`, `"username":"ann"`, `"email":"ann@example.com"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if s := cookieOf(res, "session"); s == nil || !s.HttpOnly || s.Value == "" {
					t.Errorf("want a session cookie, got %+v", s)
				}
				if c := cookieOf(res, "csrf_token"); c == nil || c.Value == "" {
					t.Errorf("want a csrf_token cookie, got %+v", c)
				}
			},
		},
		{
			Name: "by username in another case", Method: http.MethodPost, URL: "/api/login",
			Body: login("Ann", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
		{
			Name: "wrong password", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", "not-the-password-1"), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
			AfterTestFunc: noCookies,
		},
		{
			Name: "unknown user gets the same answer", Method: http.MethodPost, URL: "/api/login",
			Body: login("nobody@example.com", "not-the-password-1"), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
			AfterTestFunc: noCookies,
		},
		{
			Name: "disabled user gets the same answer", Method: http.MethodPost, URL: "/api/login",
			Body: login("off", testutil.Password), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "71-byte password", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword), TestAppFactory: withLong,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"long"`},
		},
		{
			Name: "stored password plus one character", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+"x"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "stored password plus NUL", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+`\u0000`), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "stored password plus two characters", Method: http.MethodPost, URL: "/api/login",
			Body: login("long", longPassword+"xy"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{invalidCredentials},
		},
		{
			Name: "sdk login with the stored password plus one character", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("long", longPassword+"x"), TestAppFactory: withLong,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"message":"Failed to authenticate."`},
		},
		{
			Name: "sdk login by username in another case", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("ANN", testutil.Password), TestAppFactory: withAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"token":"`, `"username":"ann"`},
		},
		{
			Name: "sdk login of a disabled user answers like wrong credentials", Method: http.MethodPost,
			URL:  "/api/collections/users/auth-with-password",
			Body: login("off", testutil.Password), TestAppFactory: withLong,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`{"data":{},"message":"Failed to authenticate.","status":400}`},
		},
		{
			Name: "missing fields", Method: http.MethodPost, URL: "/api/login",
			Body:           body(`{"identity":" "}`),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"identity":{"code":"required"`, `"password":{"code":"required"`},
		},
		{
			Name: "wrong JSON types", Method: http.MethodPost, URL: "/api/login",
			Body:           body(`{"identity":["ann"],"password":12345678}`),
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"identity":{"code":"invalid_type"`, `"password":{"code":"invalid_type"`},
		},
		{
			Name: "cross-site login", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", testutil.Password), TestAppFactory: withAnn,
			Headers:        map[string]string{"Origin": "null"},
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`Cross-site`},
		},
		{
			Name: "the app URL's own origin", Method: http.MethodPost, URL: "/api/login",
			Body: login("ann", testutil.Password), TestAppFactory: withAnn,
			Headers: map[string]string{"Origin": "https://links.example.com"},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				app.Settings().Meta.AppURL = "https://links.example.com/"
			},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"username":"ann"`},
		},
	})
}

func noCookies(t testing.TB, _ *tests.TestApp, res *http.Response) {
	if len(res.Cookies()) != 0 {
		t.Errorf("want no cookies on a failed login, got %v", res.Cookies())
	}
}

// TestLoginBackOffAcrossAddresses is credential stuffing as issue 12 ran
// it: 1,100 wrong passwords for one account, each from its own address,
// through both login routes. The account's shared budget stops them after
// ten, while the browser that logged in to the account before (its device
// cookie) keeps a budget of its own and logs in. OWASP's device-cookie
// scheme; the per-IP limits are relaxed here and tested elsewhere.
func TestLoginBackOffAcrossAddresses(t *testing.T) {
	clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	app := testutil.NewAppAt(t, clock.Now)
	testutil.RelaxRateLimits(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	handler := testutil.Handler(t, app)
	login := func(path, identity, password, ip, cookie string) *httptest.ResponseRecorder {
		headers := map[string]string{"RemoteAddr": ip + ":5000"}
		if cookie != "" {
			headers["Cookie"] = cookie
		}
		return testutil.Send(handler, http.MethodPost, path, `{"identity":"`+identity+`","password":"`+password+`"}`, headers)
	}
	deviceOf := func(rec *httptest.ResponseRecorder, user *core.Record) string {
		t.Helper()
		for _, c := range rec.Result().Cookies() {
			if c.Name == "lb_device_"+user.Id {
				if !c.HttpOnly || c.Path != "/api" || c.MaxAge <= 0 {
					t.Fatalf("device cookie attributes: %+v", c)
				}
				return c.Name + "=" + c.Value
			}
		}
		t.Fatalf("no device cookie for %s in %v", user.Id, rec.Header()["Set-Cookie"])
		return ""
	}

	// Ann's laptop and phone have logged in before; bob's browser too.
	laptop := deviceOf(login("/api/login", "ann", testutil.Password, "198.51.100.20", ""), ann)
	phone := deviceOf(login("/api/collections/users/auth-with-password", "ann@example.com", testutil.Password, "198.51.100.21", ""), ann)
	bobs := deviceOf(login("/api/login", "bob", testutil.Password, "198.51.100.22", ""), bob)

	refused, tooMany := 0, 0
	for i := range 1100 {
		path := "/api/login"
		if i%2 == 1 {
			path = "/api/collections/users/auth-with-password"
		}
		rec := login(path, "ann", "wrong-guess-"+strconv.Itoa(i), fmt.Sprintf("203.0.%d.%d", i/250, i%250+1), "")
		switch retry, _ := strconv.Atoi(rec.Header().Get("Retry-After")); {
		case rec.Code == http.StatusUnauthorized || rec.Code == http.StatusBadRequest:
			refused++
		case rec.Code == http.StatusTooManyRequests && retry >= 1 && retry <= int(loginguard.Window.Seconds()):
			tooMany++
		default:
			t.Fatalf("guess %d: %d, Retry-After %q", i, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if refused != loginguard.MaxFailures || tooMany != 1100-loginguard.MaxFailures {
		t.Fatalf("%d guesses checked and %d answered 429, want %d and %d", refused, tooMany, loginguard.MaxFailures, 1100-loginguard.MaxFailures)
	}

	// A browser new to the account shares the spent budget, even with the
	// right password; ann's known browsers do not, from any address.
	if rec := login("/api/login", "ann", testutil.Password, "192.0.2.1", ""); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("a new browser with the right password: %d, want 429", rec.Code)
	}
	if rec := login("/api/login", "ann", testutil.Password, "192.0.2.2", laptop); rec.Code != http.StatusOK {
		t.Fatalf("ann's laptop: %d, want 200", rec.Code)
	}
	if rec := login("/api/collections/users/auth-with-password", "ann", testutil.Password, "192.0.2.3", phone); rec.Code != http.StatusOK {
		t.Fatalf("ann's phone through the SDK's route: %d, want 200", rec.Code)
	}

	// A device cookie counts only as itself, for its own account.
	name, value, _ := strings.Cut(laptop, "=")
	parts := strings.Split(value, ".")
	for what, cookie := range map[string]string{
		"bob's cookie under ann's name":     name + "=" + strings.SplitN(bobs, "=", 2)[1],
		"another device id, same signature": name + "=" + strings.Join([]string{parts[0], parts[1], "forged" + parts[2], parts[3]}, "."),
		"a later expiry, same signature":    name + "=" + strings.Join([]string{parts[0], "99999999999", parts[2], parts[3]}, "."),
		"ann's cookie on bob's account":     "lb_device_" + bob.Id + "=" + value,
		"a made-up cookie":                  name + "=x.y.z.w",
	} {
		if rec := login("/api/login", "ann", testutil.Password, "192.0.2.4", cookie); rec.Code != http.StatusTooManyRequests {
			t.Errorf("%s: %d, want the shared budget's 429", what, rec.Code)
		}
	}

	// A device has a budget of its own: ten wrong guesses from the laptop
	// spend the laptop's, not the phone's.
	for i := range loginguard.MaxFailures {
		if rec := login("/api/login", "ann", "laptop-guess-"+strconv.Itoa(i), "192.0.2.5", laptop); rec.Code != http.StatusUnauthorized {
			t.Fatalf("laptop guess %d: %d, want 401", i, rec.Code)
		}
	}
	if rec := login("/api/login", "ann", testutil.Password, "192.0.2.5", laptop); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("the laptop after its own ten: %d, want 429", rec.Code)
	}
	if rec := login("/api/login", "ann", testutil.Password, "192.0.2.6", phone); rec.Code != http.StatusOK {
		t.Fatalf("the phone: %d, want 200", rec.Code)
	}

	// Once the window has passed, a correct password gives the attempts
	// back; a device cookie past its lifetime is a stranger again.
	clock.Advance(loginguard.Window)
	for i := range loginguard.MaxFailures - 1 {
		login("/api/login", "ann", "wrong-guess-"+strconv.Itoa(i), "203.0.113.9", "")
	}
	if rec := login("/api/login", "ann", testutil.Password, "203.0.113.9", ""); rec.Code != http.StatusOK {
		t.Fatalf("the right password within the budget: %d", rec.Code)
	}
	for i := range loginguard.MaxFailures - 1 {
		if rec := login("/api/login", "ann", "wrong-guess-"+strconv.Itoa(i), "203.0.113.9", ""); rec.Code != http.StatusUnauthorized {
			t.Fatalf("the success did not give the attempts back: %d", rec.Code)
		}
	}
	clock.Advance(loginguard.DeviceLifetime)
	for range loginguard.MaxFailures {
		login("/api/login", "ann", "wrong-guess", "203.0.113.9", "")
	}
	if rec := login("/api/login", "ann", testutil.Password, "192.0.2.7", phone); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("an expired device cookie: %d, want the shared budget's 429", rec.Code)
	}

	// Unknown accounts back off the same way, so a 429 reveals nothing.
	for range loginguard.MaxFailures {
		login("/api/login", "nobody", "wrong-guess", "203.0.113.10", "")
	}
	if rec := login("/api/login", "nobody", "wrong-guess", "203.0.113.11", ""); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown account after %d failures: %d, want 429", loginguard.MaxFailures, rec.Code)
	}
}

// TestLoginBackOffIsExactUnderConcurrency: 50 simultaneous guesses with
// the budget untouched: exactly ten passwords are compared.
func TestLoginBackOffIsExactUnderConcurrency(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	handler := testutil.Handler(t, app)
	var checked, tooMany atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 50 {
		wg.Go(func() {
			<-start
			rec := testutil.Send(handler, http.MethodPost, "/api/login", `{"identity":"ann","password":"wrong-`+strconv.Itoa(i)+`"}`,
				map[string]string{"RemoteAddr": fmt.Sprintf("203.0.113.%d:5000", i+1)})
			switch rec.Code {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				tooMany.Add(1)
			default:
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	close(start)
	wg.Wait()
	if checked.Load() != loginguard.MaxFailures || tooMany.Load() != 50-loginguard.MaxFailures {
		t.Fatalf("%d checked, %d answered 429; want %d and %d", checked.Load(), tooMany.Load(), loginguard.MaxFailures, 50-loginguard.MaxFailures)
	}
}

// TestPasswordChecksShareTheBackOff: PocketBase's other routes that
// compare a typed password with the account's (a password change with
// oldPassword, confirm-email-change) draw on the same per-account budget
// as the logins, so a stolen session cannot guess the password there
// without limit. A correct password gives the attempts back.
func TestPasswordChecksShareTheBackOff(t *testing.T) {
	clock := state.NewManualClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	app := testutil.NewAppAt(t, clock.Now)
	testutil.RelaxRateLimits(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	handler := testutil.Handler(t, app)
	tokenOf := func(u *core.Record) string {
		token, err := u.NewAuthToken()
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	const newPassword = "a-new-passphrase-9"
	change := func(user *core.Record, as, oldPassword string, i int) int {
		return testutil.Send(handler, http.MethodPatch, "/api/collections/users/records/"+user.Id,
			`{"oldPassword":"`+oldPassword+`","password":"`+newPassword+`","passwordConfirm":"`+newPassword+`"}`,
			map[string]string{"Authorization": as, "RemoteAddr": fmt.Sprintf("203.0.113.%d:5000", i%250+1)}).Code
	}
	confirmEmail := func(password string, i int) int {
		token, err := ann.NewEmailChangeToken("ann.new@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return testutil.Send(handler, http.MethodPost, "/api/collections/users/confirm-email-change",
			`{"token":"`+token+`","password":"`+password+`"}`,
			map[string]string{"RemoteAddr": fmt.Sprintf("198.51.100.%d:5000", i%250+1)}).Code
	}
	login := func(password string) int {
		return testutil.Send(handler, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+password+`"}`,
			map[string]string{"RemoteAddr": "192.0.2.1:5000"}).Code
	}

	annToken := tokenOf(ann)
	for i := range loginguard.MaxFailures {
		code := 0
		if i%2 == 0 {
			code = change(ann, annToken, "wrong-guess-"+strconv.Itoa(i), i)
		} else {
			code = confirmEmail("wrong-guess-"+strconv.Itoa(i), i)
		}
		if code != http.StatusBadRequest {
			t.Fatalf("wrong guess %d: %d, want 400", i, code)
		}
	}
	if code := change(ann, annToken, testutil.Password, 100); code != http.StatusTooManyRequests {
		t.Fatalf("a password change past the budget: %d, want 429", code)
	}
	if code := confirmEmail(testutil.Password, 101); code != http.StatusTooManyRequests {
		t.Fatalf("an email change past the budget: %d, want 429", code)
	}
	if code := login(testutil.Password); code != http.StatusTooManyRequests {
		t.Fatalf("a login from a new browser past the budget: %d, want 429", code)
	}

	// Another account's budget is its own; a request that cannot change
	// ann's password (bob's session) compares nothing and spends nothing.
	for i := range loginguard.MaxFailures {
		if code := change(ann, tokenOf(bob), "wrong-guess", i); code != http.StatusNotFound {
			t.Fatalf("bob changing ann's password: %d, want 404", code)
		}
	}
	if code := change(bob, tokenOf(bob), testutil.Password, 102); code != http.StatusOK {
		t.Fatalf("bob's own change: %d, want 200", code)
	}

	// Once the window has passed, the right password is compared again
	// and gives the attempts back.
	clock.Advance(loginguard.Window)
	for i := range loginguard.MaxFailures - 1 {
		if code := login("wrong-guess-" + strconv.Itoa(i)); code != http.StatusUnauthorized {
			t.Fatalf("login guess %d: %d, want 401", i, code)
		}
	}
	if code := change(ann, annToken, testutil.Password, 103); code != http.StatusOK {
		t.Fatalf("the right old password within the budget: %d, want 200", code)
	}
	if code := login("wrong-guess"); code != http.StatusUnauthorized {
		t.Fatalf("the change did not give the attempts back: %d, want 401", code)
	}
}
