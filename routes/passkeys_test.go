package routes_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// Passkeys against a software authenticator (testutil.Authenticator): the
// ceremonies end to end through the router, and the attacks of API.md's
// passkey section.

const appOrigin = "http://localhost:8090" // the test apps' app URL

type passkeyEnv struct {
	app *tests.TestApp
	h   http.Handler
	ann *core.Record
}

func newPasskeyEnv(t *testing.T, configure func(*core.Collection)) *passkeyEnv {
	t.Helper()
	app, h, ann := authHandler(t, configure)
	return &passkeyEnv{app: app, h: h, ann: ann}
}

func (env *passkeyEnv) call(t *testing.T, method, url string, body []byte, user *core.Record) (*http.Response, []byte) {
	t.Helper()
	headers := map[string]string{}
	if user != nil {
		headers["Authorization"] = testutil.Token(t, user)
	}
	res := testutil.Send(env.h, method, url, string(body), headers).Result()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// register runs both steps of registering a's credential for user and
// returns the second step's answer.
func (env *passkeyEnv) register(t *testing.T, user *core.Record, a *testutil.Authenticator) (*http.Response, []byte) {
	t.Helper()
	res, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, user)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("register options: %d %s", res.StatusCode, options)
	}
	return env.finishRegister(t, user, a.Register(t, options))
}

func (env *passkeyEnv) finishRegister(t *testing.T, user *core.Record, credential []byte) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": "My phone", "credential": json.RawMessage(credential)})
	return env.call(t, http.MethodPost, "/api/passkeys/register", body, user)
}

func (env *passkeyEnv) loginOptions(t *testing.T) []byte {
	t.Helper()
	res, options := env.call(t, http.MethodPost, "/api/passkeys/login/options", nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login options: %d %s", res.StatusCode, options)
	}
	return options
}

func (env *passkeyEnv) login(t *testing.T, assertion []byte, mfaID string) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"credential": json.RawMessage(assertion), "mfaId": mfaID})
	return env.call(t, http.MethodPost, "/api/passkeys/login", body, nil)
}

func mustRegister(t *testing.T, env *passkeyEnv, user *core.Record, a *testutil.Authenticator) string {
	t.Helper()
	res, raw := env.register(t, user, a)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", res.StatusCode, raw)
	}
	var out struct{ ID, Name, Created string }
	_ = json.Unmarshal(raw, &out)
	if out.ID == "" || out.Name != "My phone" || out.Created == "" {
		t.Fatalf("register answer %s", raw)
	}
	return out.ID
}

func TestPasskeyRegisterListLoginDelete(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	a := testutil.NewAuthenticator(t, appOrigin, "localhost")

	res, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(options), `"rp":{"name":"`) ||
		!strings.Contains(string(options), `"id":"localhost"`) || !strings.Contains(string(options), `"residentKey":"required"`) {
		t.Fatalf("creation options %d %s", res.StatusCode, options)
	}
	res, raw := env.finishRegister(t, env.ann, a.Register(t, options))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", res.StatusCode, raw)
	}

	res, raw = env.call(t, http.MethodGet, "/api/passkeys", nil, env.ann)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"name":"My phone"`) || strings.Contains(string(raw), "publicKey") {
		t.Fatalf("list: %d %s", res.StatusCode, raw)
	}

	res, raw = env.login(t, a.Assert(t, env.loginOptions(t)), "")
	answer := map[string]any{}
	_ = json.Unmarshal(raw, &answer)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %s", res.StatusCode, raw)
	}
	if user, _ := answer["user"].(map[string]any); user["id"] != annID {
		t.Fatalf("logged in as %v", answer["user"])
	}
	requireSession(t, env.app, res, answer)

	var list struct {
		Items []struct {
			ID       string `json:"id"`
			LastUsed string `json:"last_used"`
		}
	}
	_, raw = env.call(t, http.MethodGet, "/api/passkeys", nil, env.ann)
	_ = json.Unmarshal(raw, &list)
	if len(list.Items) != 1 || list.Items[0].LastUsed == "" {
		t.Fatalf("after login: %s", raw)
	}

	// Another user cannot delete it; its owner can, and it then logs no one in.
	bob := testutil.CreateUser(t, env.app, "bob@example.com", "bob", nil)
	if res, _ := env.call(t, http.MethodDelete, "/api/passkeys/"+list.Items[0].ID, nil, bob); res.StatusCode != http.StatusNotFound {
		t.Fatalf("bob deleting ann's passkey: %d", res.StatusCode)
	}
	if res, _ := env.call(t, http.MethodDelete, "/api/passkeys/"+list.Items[0].ID, nil, env.ann); res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res, _ := env.login(t, a.Assert(t, env.loginOptions(t)), ""); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login with a deleted passkey: %d", res.StatusCode)
	}
}

func TestPasskeyEndpointsNeedALogin(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	for _, c := range []struct{ method, url string }{
		{http.MethodPost, "/api/passkeys/register/options"},
		{http.MethodPost, "/api/passkeys/register"},
		{http.MethodGet, "/api/passkeys"},
		{http.MethodDelete, "/api/passkeys/abc"},
	} {
		if res, _ := env.call(t, c.method, c.url, []byte(`{}`), nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without auth: %d", c.method, c.url, res.StatusCode)
		}
	}
}

func TestPasskeyRegistrationAttacks(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, env *passkeyEnv) (*http.Response, []byte)
		code string
	}{
		{"a replayed registration", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			a := testutil.NewAuthenticator(t, appOrigin, "localhost")
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
			credential := a.Register(t, options)
			if res, raw := env.finishRegister(t, env.ann, credential); res.StatusCode != http.StatusCreated {
				t.Fatalf("first: %d %s", res.StatusCode, raw)
			}
			return env.finishRegister(t, env.ann, credential)
		}, "challenge_invalid"},
		{"an expired challenge", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			a := testutil.NewAuthenticator(t, appOrigin, "localhost")
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
			expireChallenges(t, env.app)
			return env.finishRegister(t, env.ann, a.Register(t, options))
		}, "challenge_invalid"},
		{"another user's challenge", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			bob := testutil.CreateUser(t, env.app, "bob@example.com", "bob", nil)
			a := testutil.NewAuthenticator(t, appOrigin, "localhost")
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, bob)
			return env.finishRegister(t, env.ann, a.Register(t, options))
		}, "challenge_invalid"},
		{"another origin", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			a := testutil.NewAuthenticator(t, "https://evil.example", "localhost")
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
			return env.finishRegister(t, env.ann, a.Register(t, options))
		}, "passkey_invalid"},
		{"another relying party", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			a := testutil.NewAuthenticator(t, appOrigin, "evil.example")
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
			return env.finishRegister(t, env.ann, a.Register(t, options))
		}, "passkey_invalid"},
		{"a credential id another user registered", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			bob := testutil.CreateUser(t, env.app, "bob@example.com", "bob", nil)
			bobs := testutil.NewAuthenticator(t, appOrigin, "localhost")
			mustRegister(t, env, bob, bobs)
			a := testutil.NewAuthenticator(t, appOrigin, "localhost")
			a.CredentialID = bobs.CredentialID
			return env.register(t, env.ann, a)
		}, "passkey_taken"},
		{"garbage", func(t *testing.T, env *passkeyEnv) (*http.Response, []byte) {
			return env.finishRegister(t, env.ann, []byte(`{"id":"x","type":"public-key","response":{}}`))
		}, "passkey_invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newPasskeyEnv(t, nil)
			res, raw := c.run(t, env)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), `"credential":{"code":"`+c.code+`"`) {
				t.Fatalf("%d %s", res.StatusCode, raw)
			}
		})
	}
}

// expireChallenges moves every pending challenge's expiry into the past.
func expireChallenges(t *testing.T, app core.App) {
	t.Helper()
	if _, err := app.DB().Update(schema.PasskeyChallenges, dbx.Params{schema.ChallengeExpires: "2000-01-01 00:00:00.000Z"}, nil).Execute(); err != nil {
		t.Fatal(err)
	}
}

func TestPasskeyLoginAttacks(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte
	}{
		{"a replayed assertion", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			assertion := a.Assert(t, env.loginOptions(t))
			if res, raw := env.login(t, assertion, ""); res.StatusCode != http.StatusOK {
				t.Fatalf("first: %d %s", res.StatusCode, raw)
			}
			return assertion
		}},
		{"an expired challenge", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			options := env.loginOptions(t)
			expireChallenges(t, env.app)
			return a.Assert(t, options)
		}},
		{"a challenge the server never issued", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			return a.AssertChallenge(t, "bm90LWlzc3VlZC1ieS10aGUtc2VydmVyLWV2ZXItMDEyMzQ1Njc")
		}},
		{"a registration challenge used to log in", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			_, options := env.call(t, http.MethodPost, "/api/passkeys/register/options", nil, env.ann)
			return a.Assert(t, options)
		}},
		{"a foreign credential", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			stranger := testutil.NewAuthenticator(t, appOrigin, "localhost")
			stranger.UserHandle = []byte(annID)
			return stranger.Assert(t, env.loginOptions(t))
		}},
		{"ann's credential id signed by another key", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			forger := testutil.NewAuthenticator(t, appOrigin, "localhost")
			forger.CredentialID, forger.UserHandle, forger.SignCount = a.CredentialID, a.UserHandle, 50
			return forger.Assert(t, env.loginOptions(t))
		}},
		{"ann's credential presented as bob's", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			bob := testutil.CreateUser(t, env.app, "bob@example.com", "bob", nil)
			a.UserHandle = []byte(bob.Id)
			return a.Assert(t, env.loginOptions(t))
		}},
		{"another origin", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			a.Origin = "https://evil.example"
			return a.Assert(t, env.loginOptions(t))
		}},
		{"another relying party", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			a.RPID = "evil.example"
			return a.Assert(t, env.loginOptions(t))
		}},
		{"a signature counter that went back (a cloned key)", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			if res, raw := env.login(t, a.Assert(t, env.loginOptions(t)), ""); res.StatusCode != http.StatusOK {
				t.Fatalf("first: %d %s", res.StatusCode, raw)
			}
			a.SignCount = 0 // the clone still counts from where it was copied
			return a.Assert(t, env.loginOptions(t))
		}},
		{"a disabled account", func(t *testing.T, env *passkeyEnv, a *testutil.Authenticator) []byte {
			env.ann.Set(schema.UserDisabled, true)
			if err := env.app.Save(env.ann); err != nil {
				t.Fatal(err)
			}
			return a.Assert(t, env.loginOptions(t))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newPasskeyEnv(t, nil)
			a := testutil.NewAuthenticator(t, appOrigin, "localhost")
			mustRegister(t, env, env.ann, a)
			res, raw := env.login(t, c.run(t, env, a), "")
			if res.StatusCode != http.StatusUnauthorized || string(raw) != `{"data":{},"message":"Passkey login failed.","status":401}`+"\n" || len(res.Cookies()) != 0 {
				t.Fatalf("%d %q %v", res.StatusCode, raw, res.Cookies())
			}
		})
	}
}

// TestPasskeyChallengeIsConsumedOnce: many requests answering one
// challenge at once, exactly one logs in.
func TestPasskeyChallengeIsConsumedOnce(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	a := testutil.NewAuthenticator(t, appOrigin, "localhost")
	mustRegister(t, env, env.ann, a)
	assertion := a.Assert(t, env.loginOptions(t))
	const n = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"credential": json.RawMessage(assertion)})
			code := testutil.Send(env.h, http.MethodPost, "/api/passkeys/login", string(body), nil).Code
			mu.Lock()
			statuses[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK] != 1 || statuses[http.StatusUnauthorized] != n-1 {
		t.Fatalf("statuses %v, want one 200 and %d × 401", statuses, n-1)
	}
}

func TestPasskeyRelyingPartyFollowsTheAppURL(t *testing.T) {
	env := newPasskeyEnv(t, nil)
	old := testutil.NewAuthenticator(t, appOrigin, "localhost")
	mustRegister(t, env, env.ann, old)

	settings := env.app.Settings()
	settings.Meta.AppURL = "https://links.example:8443/"
	if err := env.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	options := env.loginOptions(t)
	if !strings.Contains(string(options), `"rpId":"links.example"`) {
		t.Fatalf("request options %s", options)
	}
	// The passkey made for localhost does not sign for links.example.
	if res, _ := env.login(t, old.Assert(t, options), ""); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old relying party: %d", res.StatusCode)
	}
	moved := testutil.NewAuthenticator(t, "https://links.example:8443", "links.example")
	mustRegister(t, env, env.ann, moved)
	if res, raw := env.login(t, moved.Assert(t, env.loginOptions(t)), ""); res.StatusCode != http.StatusOK {
		t.Fatalf("new relying party: %d %s", res.StatusCode, raw)
	}

	settings.Meta.AppURL = "http://127.0.0.1:8090"
	if err := env.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	res, raw := env.call(t, http.MethodPost, "/api/passkeys/login/options", nil, nil)
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(string(raw), "host name") {
		t.Fatalf("IP app URL: %d %s", res.StatusCode, raw)
	}
}

func TestPasskeyAsSecondFactor(t *testing.T) {
	env := newPasskeyEnv(t, enableMFA)
	a := testutil.NewAuthenticator(t, appOrigin, "localhost")
	mustRegister(t, env, env.ann, a)

	// Password first, then the passkey completes the login.
	res, raw := env.call(t, http.MethodPost, "/api/login", []byte(`{"identity":"ann","password":"`+testutil.Password+`"}`), nil)
	var first struct {
		MfaID string `json:"mfaId"`
	}
	_ = json.Unmarshal(raw, &first)
	if res.StatusCode != http.StatusUnauthorized || first.MfaID == "" {
		t.Fatalf("password: %d %s", res.StatusCode, raw)
	}
	res, raw = env.login(t, a.Assert(t, env.loginOptions(t)), first.MfaID)
	answer := map[string]any{}
	_ = json.Unmarshal(raw, &answer)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("passkey as second factor: %d %s", res.StatusCode, raw)
	}
	requireSession(t, env.app, res, answer)

	// A passkey alone is a first factor: it asks for a second one.
	res, raw = env.login(t, a.Assert(t, env.loginOptions(t)), "")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(raw), `"mfaId"`) || len(res.Cookies()) != 0 {
		t.Fatalf("passkey first: %d %s", res.StatusCode, raw)
	}
}
