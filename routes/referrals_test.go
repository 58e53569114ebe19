package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// withReferrals is a test app with testutil.SeedReferrals: ann, who
// referred bob (successful), cat (pending) and dan (rejected).
func withReferrals(t testing.TB) (*tests.TestApp, *core.Record) {
	app := testutil.Factory(t)
	return app, testutil.SeedReferrals(t, app)
}

func TestReferralsList(t *testing.T) {
	auth := map[string]string{} // filled by the factory, read when the request is sent
	factory := func(t testing.TB) *tests.TestApp {
		app, ann := withReferrals(t)
		auth["Authorization"] = testutil.Token(t, ann)
		return app
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "not logged in", Method: http.MethodGet, URL: "/api/referrals",
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "newest first without emails", Method: http.MethodGet, URL: "/api/referrals",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"page":1`, `"per_page":20`, `"total_items":3`, `"total_pages":1`,
				`"username":"dan","status":"rejected"`, `"username":"bob","status":"successful"`, `"completed_at":"20`,
			},
			NotExpectedContent: []string{"@example.com", "email"},
		},
		{
			Name: "status filter", Method: http.MethodGet, URL: "/api/referrals?status=pending",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"total_items":1`, `"username":"cat","status":"pending"`, `"completed_at":null`},
			NotExpectedContent: []string{`"bob"`, `"dan"`},
		},
		{
			Name: "second page of one", Method: http.MethodGet, URL: "/api/referrals?page=2&per_page=1",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"page":2`, `"per_page":1`, `"total_items":3`, `"total_pages":3`, `"username":"cat"`},
			NotExpectedContent: []string{`"bob"`, `"dan"`},
		},
		{
			Name: "page past the end is empty", Method: http.MethodGet, URL: "/api/referrals?page=9",
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`},
		},
		{
			Name: "every bad parameter at once", Method: http.MethodGet, URL: "/api/referrals?page=0&per_page=101&status=paid",
			ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{
				`"page":{"code":"page_invalid"`, `"per_page":{"code":"per_page_invalid"`, `"status":{"code":"status_invalid"`,
			},
		},
		{
			Name: "non-numeric and sql-looking parameters", Method: http.MethodGet, URL: "/api/referrals?page=1%27%20OR%201=1&per_page=abc&status=%3Cb%3E",
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"page_invalid"`, `"per_page_invalid"`, `"status_invalid"`},
		},
	}
	for i, s := range scenarios {
		s.TestAppFactory = factory
		if i > 0 {
			s.Headers = auth
		}
		s.Test(t)
	}
}

func TestReferralsListShowsOnlyOwnReferrals(t *testing.T) {
	app, _ := withReferrals(t)
	t.Cleanup(app.Cleanup)
	h := testutil.Handler(t, app)
	eve := testutil.CreateUser(t, app, "eve@example.com", "eve", nil)
	rec := testutil.Send(h, http.MethodGet, "/api/referrals", "", authHeader(t, eve))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"total_items":0`) {
		t.Errorf("another user's list: %d %s", rec.Code, rec.Body)
	}
}

func TestReferralsListOrder(t *testing.T) {
	app, ann := withReferrals(t)
	t.Cleanup(app.Cleanup)
	body := testutil.Send(testutil.Handler(t, app), http.MethodGet, "/api/referrals", "", authHeader(t, ann)).Body.String()
	dan, cat, bob := strings.Index(body, `"dan"`), strings.Index(body, `"cat"`), strings.Index(body, `"bob"`)
	if !(0 <= dan && dan < cat && cat < bob) {
		t.Errorf("want dan, cat, bob (newest first), got %s", body)
	}
}

func TestReferralStatsScenarios(t *testing.T) {
	auth := map[string]string{}
	scenarios := []tests.ApiScenario{
		{
			Name: "not logged in", Method: http.MethodGet, URL: "/api/referral-stats",
			TestAppFactory: testutil.Factory,
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "a new user", Method: http.MethodGet, URL: "/api/referral-stats", Headers: auth,
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app := testutil.Factory(t)
				auth["Authorization"] = testutil.Token(t, testutil.CreateUser(t, app, "ann@example.com", "ann", nil))
				return app
			},
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"referral_link":"http://localhost:8090/register?referral=`, `"visits":0`, `"signups":0`,
				`"conversion_rate":0`, `"credits_earned":0`, `"credits_balance":0`,
				`"next_milestone":{"successful":5,"reward":25}`, `"last_30_days":[{"date":"` + time.Now().UTC().AddDate(0, 0, -29).Format(time.DateOnly),
			},
		},
		{
			Name: "counts of every status", Method: http.MethodGet, URL: "/api/referral-stats", Headers: auth,
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app, ann := withReferrals(t)
				auth["Authorization"] = testutil.Token(t, ann)
				return app
			},
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"signups":3`, `"successful":1`, `"pending":1`, `"expired":0`, `"rejected":1`,
				`"credits_earned":10`, `"credits_balance":10`, `"next_milestone":{"successful":5,"reward":25}`,
				// Each sign-up counts as a visit: nobody visited the link first.
				`"visits":3`, `"conversion_rate":1`,
				`{"date":"` + time.Now().UTC().Format(time.DateOnly) + `","visits":3,"signups":3,"successful":1}`,
			},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

type statsBody struct {
	Code       string  `json:"referral_code"`
	Visits     int     `json:"visits"`
	Signups    int     `json:"signups"`
	Successful int     `json:"successful"`
	Pending    int     `json:"pending"`
	Rate       float64 `json:"conversion_rate"`
	Earned     int     `json:"credits_earned"`
	Balance    int     `json:"credits_balance"`
	Last30     []struct {
		Date                        string
		Visits, Signups, Successful int
	} `json:"last_30_days"`
}

func getStats(t testing.TB, h http.Handler, headers map[string]string) statsBody {
	t.Helper()
	rec := testutil.Send(h, http.MethodGet, "/api/referral-stats", "", headers)
	var s statsBody
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &s) != nil {
		t.Fatalf("stats: %d %s", rec.Code, rec.Body)
	}
	return s
}

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
		rec := testutil.Send(handler, http.MethodGet, "/api/referral-code/qr.png", "", map[string]string{"Host": host, "Authorization": testutil.Token(t, ann)})
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

func TestRegisterPage(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name: "code filled in", Method: http.MethodGet, URL: "/register?referral=K3X9Q2MW",
			TestAppFactory: withReferrerAnn(nil, nil),
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`name="referral_code" value="k3x9q2mw"`, `<script type="module" src="/js/register.js"></script>`,
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				for h, want := range map[string]string{
					"Content-Security-Policy": "script-src 'self'", "X-Frame-Options": "DENY",
					"X-Content-Type-Options": "nosniff", "Content-Type": "text/html",
				} {
					if !strings.Contains(res.Header.Get(h), want) {
						t.Errorf("%s: %q, want %q in it", h, res.Header.Get(h), want)
					}
				}
				visitor, remembered := cookieOf(res, "lb_visitor"), cookieOf(res, referral.AttributionCookie)
				if visitor == nil {
					t.Error("no visitor cookie")
				}
				// API.md: lb_ref=<code>, HttpOnly, SameSite=Lax, Max-Age = attribution_days (60).
				if remembered == nil || remembered.Value != "k3x9q2mw" || !remembered.HttpOnly ||
					remembered.SameSite != http.SameSiteLaxMode || remembered.MaxAge != 60*24*3600 || remembered.Path != "/" {
					t.Errorf("attribution cookie %+v", remembered)
				}
				if stores.Of(app).Referrals.PendingVisits() != 1 {
					t.Errorf("%d visits queued, want 1", stores.Of(app).Referrals.PendingVisits())
				}
			},
		},
		{
			Name: "html in the code is escaped and not counted", Method: http.MethodGet,
			URL:                "/register?referral=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
			TestAppFactory:     testutil.Factory,
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
			NotExpectedContent: []string{"<script>alert"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if stores.Of(app).Referrals.PendingVisits() != 0 {
					t.Error("a malformed code was counted")
				}
			},
		},
		{
			Name: "no code", Method: http.MethodGet, URL: "/register",
			TestAppFactory: testutil.Factory, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`name="referral_code" value=""`},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

// TestVisitsOncePerVisitorPerDay: a visitor is their cookie, else their
// client IP (API.md), never the user agent, which a script rotates:
// 1,000 user agents from one address are one visit. Crawlers, link
// previews and prefetches are not counted.
func TestVisitsOncePerVisitorPerDay(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	url := "/register?referral=" + ann.GetString(schema.UserReferralCode)

	first := testutil.Send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:1000", "User-Agent": "ua"})
	var cookie string
	for _, c := range first.Result().Cookies() {
		if c.Name == "lb_visitor" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		t.Fatal("no visitor cookie")
	}
	// The same IP with 1,000 user agents, the same cookie from another IP,
	// an unknown code, crawlers, a link preview and a prefetch add
	// nothing; another address without the cookie is another visitor.
	for i := range 1000 {
		testutil.Send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:2000", "User-Agent": fmt.Sprintf("Mozilla/5.0 rotating %d", i)})
	}
	testutil.Send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "203.0.113.9:1000", "User-Agent": "other", "Cookie": cookie})
	testutil.Send(h, http.MethodGet, "/register?referral=zzzzzzzz", "", nil)
	for _, headers := range []map[string]string{
		{"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
		{"User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"},
		{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"},
		{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0", "Sec-Purpose": "prefetch;prerender"},
	} {
		headers["RemoteAddr"] = "192.0.2.50:1000"
		testutil.Send(h, http.MethodGet, url, "", headers)
	}
	testutil.Send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.2:1000", "User-Agent": "ua"})

	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil); n != 2 {
		t.Errorf("%d visits stored, want 2", n)
	}
	// A visitor queued again after a flush (or a restart) is written
	// again, and the unique index keeps them counted once.
	testutil.Send(h, http.MethodGet, url, "", map[string]string{"RemoteAddr": "198.51.100.1:1000", "User-Agent": "ua"})
	if err := stores.Of(app).Referrals.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM referral_visits", nil); n != 2 {
		t.Errorf("after a second flush %d visits stored, want still 2", n)
	}
	var stored string
	_ = app.DB().NewQuery("SELECT visitor FROM referral_visits LIMIT 1").Row(&stored)
	if strings.Contains(stored, "198.51.100.1") || len(stored) != 32 {
		t.Errorf("stored visitor %q is not a salted hash", stored)
	}
	if s := getStats(t, h, authHeader(t, ann)); s.Visits != 2 {
		t.Errorf("stats show %d visits, want 2", s.Visits)
	}
}

// TestSameIPAsReferrersLoginIsHeld logs the referrer in from one IP and
// signs up with their code from the same IP: the referral waits for review.
func TestSameIPAsReferrersLoginIsHeld(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	ip := map[string]string{"RemoteAddr": "198.51.100.77:5000"}

	rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, ip)
	if rec.Code != http.StatusOK {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	want, _ := stores.Of(app).Referrals.HashIP("198.51.100.77")
	if fresh.GetString(schema.UserLoginIPHash) != want || fresh.GetDateTime(schema.UserLoginAt).IsZero() {
		t.Fatalf("login IP hash %q at %v, want %q", fresh.GetString(schema.UserLoginIPHash), fresh.GetDateTime(schema.UserLoginAt), want)
	}

	body := `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":"` + ann.GetString(schema.UserReferralCode) + `"}`
	if rec := testutil.Send(h, http.MethodPost, "/api/register", body, ip); rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	refs, _ := app.FindAllRecords(schema.Referrals)
	if len(refs) != 1 || refs[0].GetString(schema.ReferralReviewReason) != referral.ReasonSameIP {
		t.Errorf("referral review reason: %v", refs)
	}
	// The hashes are hidden from the user's own view of their record.
	rec = testutil.Send(h, http.MethodGet, "/api/collections/users/records/"+ann.Id, "", authHeader(t, fresh))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "ip_hash") {
		t.Errorf("own record: %d %s", rec.Code, rec.Body)
	}
}

// TestClientsCannotSetReferralFields tries the collection API as the
// user themself: hidden and app-managed fields are never taken.
func TestClientsCannotSetReferralFields(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rec := testutil.Send(h, http.MethodPatch, "/api/collections/users/records/"+ann.Id,
		`{"signup_ip_hash":"x","login_ip_hash":"y","display_name":"Ann"}`, authHeader(t, ann))
	if rec.Code != http.StatusOK {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	if fresh.GetString(schema.UserSignupIPHash) != "" || fresh.GetString(schema.UserLoginIPHash) != "" {
		t.Error("a client set a hidden fraud field")
	}
	for _, c := range []string{"referrals", "rewards", "referral_settings", "retired_codes", "secrets", "referral_visits"} {
		rec := testutil.Send(h, http.MethodPost, "/api/collections/"+c+"/records", `{"user":"`+ann.Id+`","amount":1000,"kind":"manual"}`, authHeader(t, ann))
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("creating in %s as a user: %d", c, rec.Code)
		}
	}
	if rec := testutil.Send(h, http.MethodGet, "/api/collections/secrets/records", "", authHeader(t, ann)); rec.Code != http.StatusForbidden {
		t.Errorf("listing secrets as a user: %d %s", rec.Code, rec.Body)
	}
}

func TestJobsAreScheduled(t *testing.T) {
	app := testutil.NewApp(t)
	ids := map[string]bool{}
	for _, j := range app.Cron().Jobs() {
		ids[j.Id()] = true
	}
	if !ids["linkbaseExpireReferrals"] {
		t.Errorf("cron jobs: %v", ids)
	}
	flushers := map[string]bool{}
	for _, f := range stores.Of(app).Flushers() {
		flushers[f.Stats().Name] = true
	}
	if !flushers["referral_visits"] {
		t.Errorf("flushers: %v", flushers)
	}
}

func TestSDKLoginRecordsIPHash(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rec := testutil.Send(h, http.MethodPost, "/api/collections/users/auth-with-password",
		`{"identity":"ann@example.com","password":"`+testutil.Password+`"}`, map[string]string{"RemoteAddr": "198.51.100.8:1"})
	if rec.Code != http.StatusOK {
		t.Fatalf("auth-with-password: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	if want, _ := stores.Of(app).Referrals.HashIP("198.51.100.8"); fresh.GetString(schema.UserLoginIPHash) != want {
		t.Errorf("login IP hash %q, want %q", fresh.GetString(schema.UserLoginIPHash), want)
	}
}

// TestLocalTrialReferrals tries referrals as a newcomer does on one
// machine: the referrer logs in and the referred user signs up from the
// same address. Only a local trial, and only for loopback addresses, lets
// the referral complete; everything else keeps the same-IP hold.
func TestLocalTrialReferrals(t *testing.T) {
	for _, c := range []struct {
		name       string
		trial      bool
		laterURL   string // the app URL set after the trial started
		remoteAddr string
		wantReason string
	}{
		{"loopback outside a trial is held", false, "", "127.0.0.1:5000", referral.ReasonSameIP},
		{"loopback in a local trial completes", true, "", "127.0.0.1:5000", ""},
		{"IPv6 loopback in a local trial completes", true, "", "[::1]:5000", ""},
		{"one public address in a local trial is held", true, "", "198.51.100.77:5000", referral.ReasonSameIP},
		{"one private address in a local trial is held", true, "", "10.0.0.7:5000", referral.ReasonSameIP},
		{"a public app URL ends the trial", true, "https://links.example.com", "127.0.0.1:5000", referral.ReasonSameIP},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := testutil.NewApp(t)
			if c.trial {
				if err := refstore.EnableLocalTrial(app); err != nil {
					t.Fatal(err)
				}
			}
			if c.laterURL != "" {
				settings := app.Settings()
				settings.Meta.AppURL = c.laterURL
				if err := app.Save(settings); err != nil {
					t.Fatal(err)
				}
			}
			h := testutil.Handler(t, app)
			ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
			from := map[string]string{"RemoteAddr": c.remoteAddr}
			if rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, from); rec.Code != http.StatusOK {
				t.Fatalf("login: %d %s", rec.Code, rec.Body)
			}
			body := `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":"` + ann.GetString(schema.UserReferralCode) + `"}`
			if rec := testutil.Send(h, http.MethodPost, "/api/register", body, from); rec.Code != http.StatusCreated {
				t.Fatalf("register: %d %s", rec.Code, rec.Body)
			}

			bob := testutil.FindUser(t, app, "bob")
			bob.SetVerified(true)
			if err := app.Save(bob); err != nil {
				t.Fatal(err)
			}
			ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, bob.Id)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := schema.StatusSuccessful
			if c.wantReason != "" {
				wantStatus = schema.StatusPending
			}
			if ref.GetString(schema.ReferralReviewReason) != c.wantReason || ref.GetString(schema.ReferralStatus) != wantStatus {
				t.Errorf("referral %q (%q), want %q (%q)", ref.GetString(schema.ReferralStatus),
					ref.GetString(schema.ReferralReviewReason), wantStatus, c.wantReason)
			}
		})
	}
}
