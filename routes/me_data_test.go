package routes_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"

	"linkbase/accountdata"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// seedAccountData makes gus, referred by carl, with one of everything an
// export holds: a link, a referred user (bob, verified, so a reward too),
// a counted visit, a daily rollup and a passkey.
func seedAccountData(t *testing.T, env *passkeyEnv) (gus, bob, carl *core.Record) {
	t.Helper()
	app := env.app
	carl = testutil.CreateUser(t, app, "carl@example.com", "carl", nil)
	gus = testutil.CreateUser(t, app, "gus@example.com", "gus", map[string]any{schema.UserReferredBy: carl.Id})
	testutil.SeedLink(t, app, gus, "shop", 1, nil)
	bob = testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{schema.UserReferredBy: gus.Id})
	bob.SetVerified(true)
	if err := app.Save(bob); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO referral_visits (id, referrer, day, visitor) VALUES ('visit0000000001', {:user}, '2026-11-20', 'v1')",
		"INSERT INTO referral_daily (referrer, date, visits) VALUES ({:user}, '2026-11-20', 1)", // what the visit flush keeps
		"INSERT INTO profile_daily (id, profile, date, views, clicks) VALUES ('daily0000000001', {:user}, '2026-11-20', 7, 2)",
	} {
		if _, err := app.DB().NewQuery(q).Bind(dbx.Params{"user": gus.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	mustRegister(t, env, gus, testutil.NewAuthenticator(t, appOrigin, "localhost"))
	return gus, bob, carl
}

func TestExport(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	gus, _, _ := seedAccountData(t, env)
	res, raw := env.call(t, http.MethodGet, "/api/me/export", nil, gus)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d %s", res.StatusCode, raw)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="linkbase-export-`) {
		t.Fatalf("Content-Disposition %q", cd)
	}
	doc := map[string]any{}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range accountdata.Sections {
		if _, ok := doc[s.Name]; !ok {
			t.Errorf("section %s missing", s.Name)
		}
	}
	text := string(raw)
	for _, want := range []string{
		`"email":"gus@example.com"`, `"referred_by":"carl"`, `"title":"shop"`, `"username":"bob"`, `"status":"successful"`,
		`"kind":"referral"`, `"amount":10`, `"day":"2026-11-20","visits":1`, `"views":7`, `"name":"My phone"`,
		`"notify_referrals":true`, `"exported_at":"`, `"user":{`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %s:\n%s", want, text)
		}
	}
	for _, never := range []string{"bob@example.com", "carl@example.com", "tokenKey", `"password"`, "publicKey"} {
		if strings.Contains(text, never) {
			t.Errorf("export shows %s", never)
		}
	}
	if res, _ := env.call(t, http.MethodGet, "/api/me/export", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without auth: %d", res.StatusCode)
	}
}

func TestDeleteAccount(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	gus, bob, carl := seedAccountData(t, env)
	del := func(body string) (*http.Response, string) {
		res, raw := env.call(t, http.MethodPost, "/api/me/delete", []byte(body), gus)
		return res, string(raw)
	}
	for _, c := range []struct{ body, want string }{
		{`{"password":"not-the-password-1"}`, `"password":{"code":"password_wrong"`},
		{`{}`, `"password":{"code":"required"`},
		{`{"password":12}`, `"password":{"code":"invalid_type"`},
	} {
		if res, raw := del(c.body); res.StatusCode != http.StatusBadRequest || !strings.Contains(raw, c.want) {
			t.Fatalf("%s: %d %s", c.body, res.StatusCode, raw)
		}
	}
	if _, err := env.app.FindRecordById(schema.Users, gus.Id); err != nil {
		t.Fatal("a refused delete removed the account")
	}

	res, raw := del(`{"password":"` + testutil.Password + `"}`)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.StatusCode, raw)
	}
	if c := cookieOf(res, "session"); c == nil || c.MaxAge >= 0 {
		t.Fatalf("session cookie not cleared: %v", c)
	}
	if _, err := env.app.FindRecordById(schema.Users, gus.Id); err == nil {
		t.Fatal("the account is still there")
	}
	for _, c := range []string{schema.Links, schema.Passkeys, schema.Rewards, schema.ProfileDaily} {
		if n, _ := env.app.CountRecords(c); n != 0 {
			t.Errorf("%d rows left in %s", n, c)
		}
	}
	// gus's visits and rollups go; the visit his own sign-up counted on
	// carl's link is carl's history, like the referral.
	for _, c := range []string{schema.ReferralVisits, schema.ReferralDaily, schema.ReferralTotals} {
		if n, _ := env.app.CountRecords(c, dbx.HashExp{"referrer": gus.Id}); n != 0 {
			t.Errorf("%d rows of gus left in %s", n, c)
		}
	}
	// Others' data stays: bob keeps his account (without a referrer), carl
	// his referral history (the referral of gus, closed as rejected).
	if b, err := env.app.FindRecordById(schema.Users, bob.Id); err != nil || b.GetString(schema.UserReferredBy) != "" {
		t.Fatalf("bob: %v %v", b, err)
	}
	ref, err := env.app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferrer, carl.Id)
	if err != nil || ref.GetString(schema.ReferralReferredUser) != "" || ref.GetString(schema.ReferralStatus) != schema.StatusRejected {
		t.Fatalf("carl's referral: %v (%v)", ref, err)
	}
	// The token of the deleted account no longer works.
	if res, _ := env.call(t, http.MethodGet, "/api/me", nil, gus); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/api/me after delete: %d", res.StatusCode)
	}
}

func TestDeleteAccountNeedsTheCSRFTokenWithACookie(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	token := testutil.Token(t, env.ann)
	csrfToken, _ := stores.Of(env.app).CSRF.For(token)
	body := `{"password":"` + testutil.Password + `"}`
	res := testutil.Send(env.h, http.MethodPost, "/api/me/delete", body, map[string]string{"Cookie": "session=" + token + "; csrf_token=" + csrfToken}).Result()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("without the header: %d", res.StatusCode)
	}
	res = testutil.Send(env.h, http.MethodPost, "/api/me/delete", body, map[string]string{
		"Cookie": "session=" + token + "; csrf_token=" + csrfToken, "X-CSRF-Token": csrfToken,
	}).Result()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("with it: %d", res.StatusCode)
	}
}

func TestDeleteAccountBacksOffWrongPasswords(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	var last *http.Response
	for range 11 {
		last, _ = env.call(t, http.MethodPost, "/api/me/delete", []byte(`{"password":"not-the-password-1"}`), env.ann)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("11th wrong password: %d", last.StatusCode)
	}
}

func TestEmailChangeMailLinksToOurPage(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	if err := mails.SendRecordChangeEmail(env.app, env.ann, "ann.new@example.com"); err != nil {
		t.Fatal(err)
	}
	html := env.app.TestMailer.LastMessage().HTML
	if !strings.Contains(html, "http://localhost:8090/confirm-email-change?token=") || strings.Contains(html, "/_/#/") {
		t.Fatalf("email-change mail:\n%s", html)
	}
	res := testutil.Send(env.h, http.MethodGet, "/confirm-email-change?token=abc", "", nil).Result()
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Referrer-Policy") != "no-referrer" ||
		!strings.Contains(string(page), `<script type="module" src="/assets/confirm-email-change.js">`) {
		t.Fatalf("page: %d %s", res.StatusCode, res.Header)
	}
}

func TestNotifyReferrals(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	if !env.ann.GetBool(schema.UserNotifyReferrals) {
		t.Fatal("a new account must start with notify_referrals on")
	}
	res, raw := env.call(t, http.MethodPatch, "/api/collections/users/records/"+annID, []byte(`{"notify_referrals":false}`), env.ann)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"notify_referrals":false`) {
		t.Fatalf("%d %s", res.StatusCode, raw)
	}
	res, raw = env.call(t, http.MethodPost, "/api/register", []byte(`{"email":"dee@example.com","username":"dee","password":"quiet-river-5512"}`), nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register %d %s", res.StatusCode, raw)
	}
	if dee := testutil.FindUser(t, env.app, "dee"); !dee.GetBool(schema.UserNotifyReferrals) {
		t.Fatal("registered account without notify_referrals")
	}
}
