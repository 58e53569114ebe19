package routes_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/referral"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// OAuth2 sign-up and login through PocketBase's own auth-with-oauth2,
// end to end against a fake OIDC provider (testutil.OIDCProvider): the
// test plays the browser that consented at the provider and hands the code
// to the app, as the SDK's authWithOAuth2 does.

const oauth2Redirect = "http://localhost:8090/oauth2-callback"

type oauth2Env struct {
	app      *tests.TestApp
	h        http.Handler
	provider *testutil.OIDCProvider
	ann      *core.Record
}

func newOAuth2Env(t *testing.T) *oauth2Env { return newOAuth2EnvLimited(t, false) }

// newOAuth2EnvLimited is newOAuth2Env keeping the default rate limits.
func newOAuth2EnvLimited(t *testing.T, limited bool) *oauth2Env {
	t.Helper()
	app := testutil.NewApp(t)
	if !limited {
		testutil.RelaxRateLimits(t, app)
	}
	provider := testutil.NewOIDCProvider(t)
	provider.Enable(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID, "verified": true})
	return &oauth2Env{app: app, h: testutil.Handler(t, app), provider: provider, ann: ann}
}

// signIn consents as user at the provider and posts the code to
// auth-with-oauth2 with createData; headers may add e.g. a Cookie.
func (env *oauth2Env) signIn(user testutil.OIDCUser, createData map[string]any, headers map[string]string) (*http.Response, map[string]any) {
	verifier := "verifier-" + user.Sub + "-0123456789abcdefghijklmnopqrstuvwxyz"
	code := env.provider.Authorize(user, verifier, oauth2Redirect)
	return env.post(code, verifier, oauth2Redirect, createData, headers)
}

func (env *oauth2Env) post(code, verifier, redirect string, createData map[string]any, headers map[string]string) (*http.Response, map[string]any) {
	b, _ := json.Marshal(map[string]any{
		"provider": "oidc", "code": code, "codeVerifier": verifier, "redirectURL": redirect, "createData": createData,
	})
	res := testutil.Send(env.h, http.MethodPost, "/api/collections/users/auth-with-oauth2", string(b), headers).Result()
	raw, _ := io.ReadAll(res.Body)
	answer := map[string]any{}
	_ = json.Unmarshal(raw, &answer)
	return res, answer
}

func (env *oauth2Env) users(t *testing.T) int {
	t.Helper()
	n, err := env.app.CountRecords(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func recordOf(answer map[string]any) map[string]any {
	r, _ := answer["record"].(map[string]any)
	return r
}

func TestOAuth2SignUpWithReferral(t *testing.T) {
	env := newOAuth2Env(t)
	bob := testutil.OIDCUser{Sub: "bob-1", Email: "Bob@Example.com", EmailVerified: true, Name: "Bob Stone", Username: "bobby"}
	res, answer := env.signIn(bob, map[string]any{"referral_code": env.ann.GetString(schema.UserReferralCode)}, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", res.StatusCode, answer)
	}
	requireSession(t, env.app, res, answer)
	if meta, _ := answer["meta"].(map[string]any); meta["isNew"] != true {
		t.Fatalf("want a new account, meta %v", answer["meta"])
	}
	user, err := env.app.FindRecordById(schema.Users, recordOf(answer)["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if user.GetString(schema.UserUsername) != "bobby" || user.Email() != "bob@example.com" || !user.Verified() ||
		user.GetString(schema.UserDisplayName) != "Bob Stone" || user.GetString(schema.UserReferralCode) == "" ||
		!user.GetBool(schema.UserNotifyReferrals) || user.GetString(schema.UserSignupIPHash) == "" {
		t.Fatalf("new account fields: %v", user.FieldsData())
	}
	if user.GetString(schema.UserReferredBy) != annID {
		t.Fatalf("referred_by = %q, want ann", user.GetString(schema.UserReferredBy))
	}
	// The provider vouched for the address, so the account is verified and
	// the referral completes (rewards included) in the same transaction.
	ref, err := env.app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, user.Id)
	if err != nil || ref.GetString(schema.ReferralStatus) != schema.StatusSuccessful {
		t.Fatalf("referral %v (%v)", ref, err)
	}
	ann, _ := env.app.FindRecordById(schema.Users, annID)
	if ann.GetInt(schema.UserCredits) != 10 {
		t.Fatalf("referrer credits %d, want 10", ann.GetInt(schema.UserCredits))
	}

	// The same provider identity logs the same account in again.
	res, answer = env.signIn(bob, nil, nil)
	if res.StatusCode != http.StatusOK || recordOf(answer)["id"] != user.Id {
		t.Fatalf("second login: %d %v", res.StatusCode, answer)
	}
	if n := env.users(t); n != 2 {
		t.Fatalf("%d users, want 2", n)
	}
}

func TestOAuth2SignUpReferralSources(t *testing.T) {
	for _, c := range []struct {
		name       string
		createData func(code string) map[string]any
		cookie     func(code string) string
		wantStatus int
		wantRef    bool
		wantBody   string
	}{
		{"createData.referral, the link's parameter name", func(code string) map[string]any { return map[string]any{"referral": code} }, nil, http.StatusOK, true, ""},
		{"the attribution cookie", nil, func(code string) string { return code }, http.StatusOK, true, ""},
		{"an explicit code wins over the cookie", func(code string) map[string]any { return map[string]any{"referral_code": code} },
			func(string) string { return "zzzzzzzz" }, http.StatusOK, true, ""},
		{"an unknown explicit code", func(string) map[string]any { return map[string]any{"referral_code": "zzzzzzzz"} }, nil,
			http.StatusBadRequest, false, `"referral_code":{"code":"referral_invalid"`},
		{"an explicit code of the wrong type", func(string) map[string]any { return map[string]any{"referral_code": 42} }, nil,
			http.StatusBadRequest, false, `"referral_code":{"code":"invalid_type"`},
		{"an unknown remembered code is ignored", nil, func(string) string { return "zzzzzzzz" }, http.StatusOK, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newOAuth2Env(t)
			code := env.ann.GetString(schema.UserReferralCode)
			var createData map[string]any
			if c.createData != nil {
				createData = c.createData(code)
			}
			headers := map[string]string{}
			if c.cookie != nil {
				headers["Cookie"] = referral.AttributionCookie + "=" + c.cookie(code)
			}
			res, answer := env.signIn(testutil.OIDCUser{Sub: "cy", Email: "cy@example.com", EmailVerified: true, Name: "Cy"}, createData, headers)
			raw, _ := json.Marshal(answer)
			if res.StatusCode != c.wantStatus || !strings.Contains(string(raw), c.wantBody) {
				t.Fatalf("status %d %s", res.StatusCode, raw)
			}
			referred, _ := env.app.CountRecords(schema.Referrals)
			if (referred == 1) != c.wantRef {
				t.Fatalf("%d referrals", referred)
			}
			if c.wantStatus != http.StatusOK && env.users(t) != 1 {
				t.Fatal("a refused sign-up created an account")
			}
		})
	}
}

func TestOAuth2SelfReferralAndFraudSignals(t *testing.T) {
	env := newOAuth2Env(t)
	code := env.ann.GetString(schema.UserReferralCode)
	// ann's own mailbox with a +tag.
	res, answer := env.signIn(testutil.OIDCUser{Sub: "ann-alt", Email: "ann+alt@example.com", EmailVerified: true}, map[string]any{"referral_code": code}, nil)
	raw, _ := json.Marshal(answer)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), `"code":"referral_self"`) {
		t.Fatalf("self-referral: %d %s", res.StatusCode, raw)
	}
	// A disposable domain is held for review, as at /api/register.
	res, answer = env.signIn(testutil.OIDCUser{Sub: "tmp", Email: "tmp@mailinator.com", EmailVerified: true}, map[string]any{"referral_code": code}, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("disposable: %d %v", res.StatusCode, answer)
	}
	ref, err := env.app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, recordOf(answer)["id"])
	if err != nil || ref.GetString(schema.ReferralReviewReason) == "" || ref.GetString(schema.ReferralStatus) != schema.StatusPending {
		t.Fatalf("want the referral held for review, got %v (%v)", ref, err)
	}
}

func TestOAuth2LinksAnExistingAccountByVerifiedEmail(t *testing.T) {
	env := newOAuth2Env(t)
	res, answer := env.signIn(testutil.OIDCUser{Sub: "g-ann", Email: "ANN@example.com", EmailVerified: true, Name: "Ann"}, map[string]any{"referral_code": "zzzzzzzz"}, nil)
	if res.StatusCode != http.StatusOK || recordOf(answer)["id"] != annID {
		t.Fatalf("want ann logged in, got %d %v", res.StatusCode, answer)
	}
	requireSession(t, env.app, res, answer)
	if n := env.users(t); n != 1 {
		t.Fatalf("%d users: linking must not duplicate the account", n)
	}
	links, err := env.app.FindAllExternalAuthsByRecord(env.ann)
	if err != nil || len(links) != 1 || links[0].ProviderId() != "g-ann" {
		t.Fatalf("external auths %v (%v)", links, err)
	}
}

func TestOAuth2NeverLinksByAnUnverifiedEmail(t *testing.T) {
	env := newOAuth2Env(t)
	mallory := testutil.OIDCUser{Sub: "m-1", Email: "ann@example.com", EmailVerified: false, Name: "Mallory"}
	res, answer := env.signIn(mallory, nil, nil)
	raw, _ := json.Marshal(answer)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), `"email":{"code":"required"`) {
		t.Fatalf("unverified provider email: %d %s", res.StatusCode, raw)
	}
	// Naming the address in createData does not link either.
	res, answer = env.signIn(mallory, map[string]any{"email": "ann@example.com"}, nil)
	raw, _ = json.Marshal(answer)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), `"code":"email_taken"`) {
		t.Fatalf("createData.email of an existing account: %d %s", res.StatusCode, raw)
	}
	if links, _ := env.app.FindAllExternalAuthsByRecord(env.ann); len(links) != 0 || env.users(t) != 1 {
		t.Fatalf("ann linked to an unverified address: %v", links)
	}
}

func TestOAuth2SignUpWithAnEmailTheProviderDidNotShare(t *testing.T) {
	env := newOAuth2Env(t)
	res, answer := env.signIn(testutil.OIDCUser{Sub: "x-1", Name: "Dee"}, map[string]any{"email": "Dee@Example.com"}, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d %v", res.StatusCode, answer)
	}
	rec := recordOf(answer)
	if rec["email"] != "dee@example.com" || rec["verified"] != false || rec["username"] != "dee" {
		t.Fatalf("record %v", rec)
	}
	// The address the provider did not vouch for gets /api/register's
	// verification mail, with its link to the verification page.
	stores.Of(env.app).Mail.Wait()
	if n := env.app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("%d mails, want the one verification mail", n)
	}
	msg := env.app.TestMailer.LastMessage()
	if msg.To[0].Address != "dee@example.com" || !strings.HasPrefix(msg.Subject, "Verify your") {
		t.Fatalf("mail to %v: %q", msg.To, msg.Subject)
	}
	mailToken(t, msg, env.app.Settings().Meta.AppURL, "/verify-email")
}

func TestOAuth2IgnoresEverythingElseInCreateData(t *testing.T) {
	env := newOAuth2Env(t)
	res, answer := env.signIn(testutil.OIDCUser{Sub: "e-1", Email: "eve@example.com", EmailVerified: true, Username: "Eve"}, map[string]any{
		"credits": 500, "disabled": true, "referred_by": annID, "username": "admin", "referral_code_x": 1,
	}, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d %v", res.StatusCode, answer)
	}
	eve, _ := env.app.FindRecordById(schema.Users, recordOf(answer)["id"].(string))
	if eve.GetInt(schema.UserCredits) != 0 || eve.GetBool(schema.UserDisabled) || eve.GetString(schema.UserReferredBy) != "" ||
		eve.GetString(schema.UserUsername) != "eve" {
		t.Fatalf("createData reached the record: %v", eve.FieldsData())
	}
}

func TestOAuth2UsernamesAreMadeUnique(t *testing.T) {
	env := newOAuth2Env(t)
	want := []string{"ann2", "ann3"}
	for i, w := range want {
		res, answer := env.signIn(testutil.OIDCUser{Sub: "a" + w, Email: w + "@other.example", EmailVerified: true, Username: "Ann"}, nil, nil)
		if res.StatusCode != http.StatusOK || recordOf(answer)["username"] != w {
			t.Fatalf("sign-up %d: %d %v", i, res.StatusCode, answer)
		}
	}
	res, answer := env.signIn(testutil.OIDCUser{Sub: "adm", Email: "root@other.example", EmailVerified: true, Username: "admin"}, nil, nil)
	if res.StatusCode != http.StatusOK || recordOf(answer)["username"] != "admin2" {
		t.Fatalf("reserved name: %d %v", res.StatusCode, answer)
	}
}

func TestOAuth2CodeAndProviderErrors(t *testing.T) {
	user := testutil.OIDCUser{Sub: "f-1", Email: "fay@example.com", EmailVerified: true}
	verifier := "the-right-verifier-0123456789abcdefghijklmnopqrstuvwxyz"
	for _, c := range []struct {
		name string
		run  func(env *oauth2Env) (*http.Response, map[string]any)
		want string
	}{
		{"unknown code", func(env *oauth2Env) (*http.Response, map[string]any) {
			return env.post("made-up", verifier, oauth2Redirect, nil, nil)
		}, "Failed to fetch OAuth2 token."},
		{"a code used twice", func(env *oauth2Env) (*http.Response, map[string]any) {
			code := env.provider.Authorize(user, verifier, oauth2Redirect)
			if res, _ := env.post(code, verifier, oauth2Redirect, nil, nil); res.StatusCode != http.StatusOK {
				panic("first use failed")
			}
			return env.post(code, verifier, oauth2Redirect, nil, nil)
		}, "Failed to fetch OAuth2 token."},
		{"wrong PKCE verifier", func(env *oauth2Env) (*http.Response, map[string]any) {
			code := env.provider.Authorize(user, verifier, oauth2Redirect)
			return env.post(code, "another-verifier-0123456789abcdefghijklmnopqrstuvwxyz", oauth2Redirect, nil, nil)
		}, "Failed to fetch OAuth2 token."},
		{"another redirect URL", func(env *oauth2Env) (*http.Response, map[string]any) {
			code := env.provider.Authorize(user, verifier, oauth2Redirect)
			return env.post(code, verifier, "https://evil.example/callback", nil, nil)
		}, "Failed to fetch OAuth2 token."},
		{"the provider's userinfo fails", func(env *oauth2Env) (*http.Response, map[string]any) {
			env.provider.FailUserInfo()
			code := env.provider.Authorize(user, verifier, oauth2Redirect)
			return env.post(code, verifier, oauth2Redirect, nil, nil)
		}, "Failed to fetch OAuth2 user."},
		{"a disabled account", func(env *oauth2Env) (*http.Response, map[string]any) {
			env.ann.Set(schema.UserDisabled, true)
			if err := env.app.Save(env.ann); err != nil {
				panic(err)
			}
			code := env.provider.Authorize(testutil.OIDCUser{Sub: "g-ann", Email: "ann@example.com", EmailVerified: true}, verifier, oauth2Redirect)
			return env.post(code, verifier, oauth2Redirect, nil, nil)
		}, "Failed to authenticate."},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newOAuth2Env(t)
			before := env.users(t)
			res, answer := c.run(env)
			if res.StatusCode != http.StatusBadRequest || answer["message"] != c.want || len(res.Cookies()) != 0 {
				t.Fatalf("status %d %v, cookies %v", res.StatusCode, answer, res.Cookies())
			}
			if env.users(t) != before && c.name != "a code used twice" {
				t.Fatal("a failed flow created an account")
			}
		})
	}
}

// TestOAuth2RedirectRefusesUnknownState: PocketBase's redirect endpoint
// (the SDK's popup flow) hands a code only to the realtime client whose
// id is the state; any other state ends on the failure page.
func TestOAuth2RedirectRefusesUnknownState(t *testing.T) {
	env := newOAuth2Env(t)
	for _, q := range []string{"?code=abc&state=unknown-client", "?code=abc", "?state=&code=abc"} {
		res := testutil.Send(env.h, http.MethodGet, "/api/oauth2-redirect"+q, "", nil).Result()
		if res.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(res.Header.Get("Location"), "oauth2-redirect-failure") {
			t.Errorf("%s: %d %s", q, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestOAuth2SignUpsAreRateLimitedLikeRegister(t *testing.T) {
	env := newOAuth2EnvLimited(t, true)
	statuses := []int{}
	for i := range 6 {
		u := testutil.OIDCUser{Sub: "r" + string(rune('a'+i)), Email: string(rune('a'+i)) + "rate@example.com", EmailVerified: true}
		res, _ := env.signIn(u, nil, nil)
		statuses = append(statuses, res.StatusCode)
	}
	for i, s := range statuses {
		want := http.StatusOK
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if s != want {
			t.Fatalf("statuses %v: the sixth sign-up in a minute from one address must get 429", statuses)
		}
	}
}
