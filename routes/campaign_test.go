package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
	"linkbase/testutil"
)

// verifyAll verifies every user but skip, at once, as their mail links
// would.
func verifyAll(t *testing.T, app core.App, skip string) {
	t.Helper()
	users, err := app.FindAllRecords(schema.Users, dbx.NewExp("id != {:skip}", dbx.Params{"skip": skip}))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() {
			u.SetVerified(true)
			if err := app.Save(u); err != nil {
				t.Errorf("verifying %s: %v", u.GetString(schema.UserUsername), err)
			}
		})
	}
	wg.Wait()
}

// TestViralSpikeIsRewarded: 200 people sign up at once on one code, each
// from their own address, under the default rules (only the per-IP rate
// limit raised, as for any load); once they verify, at least 90 % of the
// referrals are successful (API.md: a popular referrer is not held for
// being popular).
func TestViralSpikeIsRewarded(t *testing.T) {
	const n = 200
	app := testutil.NewApp(t)
	relaxLimits(t, app, referral.DefaultRules().BurstLimit)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	if got := signUpConcurrently(t, h, "fan", ann.GetString(schema.UserReferralCode), n); got != n {
		t.Fatalf("%d of %d sign-ups succeeded", got, n)
	}
	flagged, _ := app.CountRecords(schema.Referrals, dbxNotEmpty(schema.ReferralReviewReason))
	verifyAll(t, app, ann.Id)
	s := getStats(t, h, authHeader(t, ann))
	if s.Successful < n*9/10 {
		t.Fatalf("%d of %d successful after verification (%d flagged as a burst at sign-up)", s.Successful, n, flagged)
	}
	t.Logf("%d flagged as a burst at sign-up; %d of %d successful after verification", flagged, s.Successful, n)
}

// TestSignUpFarmsAreHeld: six referred accounts from one address, and six
// from one browser (one visitor cookie, changing addresses), are held for
// review, all of them once they verify, the first ones included; other
// sign-ups on the same code are not.
func TestSignUpFarmsAreHeld(t *testing.T) {
	app := testutil.NewApp(t)
	relaxLimits(t, app, 0)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	code := ann.GetString(schema.UserReferralCode)
	signUp := func(name string, headers map[string]string) {
		body := fmt.Sprintf(`{"email":"%s@example.com","username":"%s","password":"quiet-river-5512","referral_code":"%s"}`, name, name, code)
		if rec := testutil.Send(h, http.MethodPost, "/api/register", body, headers); rec.Code != http.StatusCreated {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	page := testutil.Send(h, http.MethodGet, "/register?referral="+code, "", map[string]string{"RemoteAddr": "192.0.2.1:1"})
	browser := cookieOf(page.Result(), referral.VisitorCookie)
	for i := range 6 {
		signUp(fmt.Sprintf("farm%d", i), map[string]string{"RemoteAddr": "198.51.100.66:4000"})
		signUp(fmt.Sprintf("tab%d", i), map[string]string{"RemoteAddr": fmt.Sprintf("203.0.113.%d:4000", i+1), "Cookie": browser.Name + "=" + browser.Value})
		signUp(fmt.Sprintf("fan%d", i), map[string]string{"RemoteAddr": fmt.Sprintf("192.0.2.%d:4000", i+10)})
	}
	verifyAll(t, app, ann.Id)

	var rows []struct {
		Username string `db:"username"`
		Status   string `db:"status"`
		Reason   string `db:"review_reason"`
	}
	if err := app.DB().NewQuery("SELECT u.username, r.status, r.review_reason FROM referrals r JOIN users u ON u.id = r.referred_user").All(&rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		want := map[string]string{"farm": referral.ReasonFarmAddress, "tab": referral.ReasonFarmDevice}[strings.TrimRight(r.Username, "0123456789")]
		if want == "" {
			if r.Status != schema.StatusSuccessful {
				t.Errorf("%s: %s (%q), want successful", r.Username, r.Status, r.Reason)
			}
			continue
		}
		if r.Status != schema.StatusPending || r.Reason != want {
			t.Errorf("%s: %s (%q), want held: %q", r.Username, r.Status, r.Reason, want)
		}
	}
	if len(rows) != 18 {
		t.Fatalf("%d referrals", len(rows))
	}
}

// TestAttribution: the referral link's page remembers the code in the
// browser; a later sign-up there without a code is attributed to it; an
// explicit code (referral_code, or its alias referral) wins; a remembered
// code that no longer works is dropped without an error, an explicit one
// is reported under the field it came in.
func TestAttribution(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	zoe := testutil.CreateUser(t, app, "zoe@example.com", "zoe", nil)
	page := testutil.Send(h, http.MethodGet, "/register?referral="+strings.ToUpper(ann.GetString(schema.UserReferralCode)), "", nil)
	remembered := cookieOf(page.Result(), referral.AttributionCookie)
	if remembered == nil {
		t.Fatal("no attribution cookie")
	}
	cookie := map[string]string{"Cookie": remembered.Name + "=" + remembered.Value}
	register := func(name, extra string, headers map[string]string) (int, string) {
		body := fmt.Sprintf(`{"email":"%s@example.com","username":"%s","password":"quiet-river-5512"%s}`, name, name, extra)
		rec := testutil.Send(h, http.MethodPost, "/api/register", body, headers)
		return rec.Code, rec.Body.String()
	}
	referrerOf := func(name string) string {
		return testutil.FindUser(t, app, name).GetString(schema.UserReferredBy)
	}
	zoeCode := zoe.GetString(schema.UserReferralCode)

	for _, c := range []struct {
		name, extra string
		headers     map[string]string
		status      int
		referrer    string
		body        string
	}{
		{"remembered", "", cookie, 201, ann.Id, ""},
		{"explicit", `,"referral_code":"` + zoeCode + `"`, cookie, 201, zoe.Id, ""},
		{"alias", `,"referral":"` + zoeCode + `"`, cookie, 201, zoe.Id, ""},
		{"both", `,"referral_code":"` + zoeCode + `","referral":"` + ann.GetString(schema.UserReferralCode) + `"`, nil, 201, zoe.Id, ""},
		{"nocookie", "", nil, 201, "", ""},
		{"badalias", `,"referral":"zzzzzzzz"`, cookie, 400, "", `"referral":{"code":"referral_invalid"`},
		{"badtype", `,"referral":7`, nil, 400, "", `"referral":{"code":"invalid_type"`},
	} {
		status, body := register(c.name, c.extra, c.headers)
		if status != c.status || !strings.Contains(body, c.body) {
			t.Errorf("%s: %d %s", c.name, status, body)
			continue
		}
		if status == 201 && referrerOf(c.name) != c.referrer {
			t.Errorf("%s: referred by %q, want %q", c.name, referrerOf(c.name), c.referrer)
		}
	}

	// The code is retired (a new one drawn): the remembered one is dropped.
	if rec := testutil.Send(h, http.MethodPost, "/api/referral-code/regenerate", "{}", authHeader(t, ann)); rec.Code != 200 {
		t.Fatal(rec.Body)
	}
	if status, body := register("late", "", cookie); status != 201 || referrerOf("late") != "" {
		t.Errorf("with a retired remembered code: %d %s, referred by %q", status, body, referrerOf("late"))
	}
	if status, body := register("latex", `,"referral_code":"`+remembered.Value+`"`, cookie); status != 400 || !strings.Contains(body, `"referral_code":{"code":"referral_expired"`) {
		t.Errorf("the same code sent explicitly: %d %s", status, body)
	}
}

// TestReferralReviewsEndpoint: superusers decide held referrals in bulk;
// every bad input is refused with its field's code, all at once.
func TestReferralReviewsEndpoint(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	var ids []string
	for _, name := range []string{"bob", "cat"} {
		u := testutil.CreateUser(t, app, name+"@yopmail.com", name, map[string]any{schema.UserReferredBy: ann.Id})
		ref, _ := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, u.Id)
		ids = append(ids, ref.Id)
	}
	admin := map[string]string{"Authorization": testutil.SuperuserToken(t, app)}
	post := func(body string, headers map[string]string) (int, string) {
		rec := testutil.Send(h, http.MethodPost, "/api/admin/referral-reviews", body, headers)
		return rec.Code, rec.Body.String()
	}
	many := make([]string, 501)
	for i := range many {
		many[i] = "aaaaaaaaaaaaaaa"
	}
	manyJSON, _ := json.Marshal(many)
	for _, c := range []struct {
		body   string
		status int
		want   []string
	}{
		{`{}`, 400, []string{`"ids":{"code":"required"`, `"decision":{"code":"required"`}},
		{`{"ids":"x","decision":7}`, 400, []string{`"ids":{"code":"invalid_type"`, `"decision":{"code":"invalid_type"`}},
		{`{"ids":[1],"decision":"maybe"}`, 400, []string{`"ids":{"code":"invalid_type"`, `"decision":{"code":"decision_invalid"`}},
		{`{"ids":["<script>"],"decision":"successful"}`, 400, []string{`"ids":{"code":"ids_invalid"`}},
		{`{"ids":` + string(manyJSON) + `,"decision":"successful"}`, 400, []string{`"ids":{"code":"ids_too_many"`}},
		{`not json`, 400, []string{"JSON object"}},
		{`{"ids":["` + ids[0] + `","` + ids[1] + `"],"decision":"successful"}`, 200, []string{`{"decided":2}`}},
		{`{"ids":["` + ids[0] + `"],"decision":"rejected"}`, 200, []string{`{"decided":0}`}},
	} {
		status, body := post(c.body, admin)
		if status != c.status {
			t.Errorf("%s: %d %s", c.body, status, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %s lacks %s", c.body, body, w)
			}
		}
	}
	if got := testutil.FindUser(t, app, "ann").GetInt(schema.UserCredits); got != 20 {
		t.Errorf("ann has %d credits after two approvals, want 20", got)
	}
	if status, _ := post(`{"ids":["`+ids[0]+`"],"decision":"rejected"}`, authHeader(t, ann)); status != http.StatusForbidden {
		t.Errorf("a user: %d, want 403", status)
	}
	if status, _ := post(`{"ids":["`+ids[0]+`"],"decision":"rejected"}`, nil); status != http.StatusUnauthorized {
		t.Errorf("nobody: %d, want 401", status)
	}
}

// TestCursorQuery: GET /api/referrals pages by next_cursor; a cursor with
// a page, or one the list did not hand out, is a 400.
func TestCursorQuery(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.SeedReferrals(t, app)
	auth := authHeader(t, ann)
	var seen []string
	url := "/api/referrals?per_page=2"
	for url != "" {
		rec := testutil.Send(h, http.MethodGet, url, "", auth)
		var p struct {
			Page       *int    `json:"page"`
			Total      int     `json:"total_items"`
			NextCursor *string `json:"next_cursor"`
			Items      []struct{ Username string }
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.Total != 3 {
			t.Fatalf("%s: %d %s", url, rec.Code, rec.Body)
		}
		if strings.Contains(url, "cursor=") == (p.Page != nil) {
			t.Fatalf("%s: page %v", url, p.Page)
		}
		for _, it := range p.Items {
			seen = append(seen, it.Username)
		}
		url = ""
		if p.NextCursor != nil {
			url = "/api/referrals?per_page=2&cursor=" + *p.NextCursor
		}
	}
	if strings.Join(seen, ",") != "dan,cat,bob" {
		t.Fatalf("by cursor: %v", seen)
	}
	for _, q := range []string{"?cursor=abc&page=2", "?cursor=" + strings.Repeat("a", 101), "?cursor=bm90IGEgY3Vyc29y"} {
		rec := testutil.Send(h, http.MethodGet, "/api/referrals"+q, "", auth)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"cursor":{"code":"cursor_invalid"`) {
			t.Errorf("%s: %d %s", q, rec.Code, rec.Body)
		}
	}
}
