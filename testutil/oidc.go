package testutil

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// OIDCUser is what the fake provider says about a person (its userinfo).
type OIDCUser struct {
	Sub           string
	Email         string
	EmailVerified bool
	Name          string
	Username      string
}

// OIDCProvider is a fake OpenID Connect provider: the token and userinfo
// endpoints that PocketBase's "oidc" provider calls, with the checks a real
// one makes (single-use codes bound to their redirect URL and PKCE
// challenge, client credentials, bearer tokens).
type OIDCProvider struct {
	URL string

	mu           sync.Mutex
	codes        map[string]oidcGrant
	tokens       map[string]OIDCUser
	failUserInfo bool
}

// FailUserInfo makes the userinfo endpoint answer 500 from now on.
func (p *OIDCProvider) FailUserInfo() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failUserInfo = true
}

type oidcGrant struct {
	user                   OIDCUser
	challenge, redirectURL string
}

// OIDCClientID and OIDCClientSecret are the credentials the fake provider
// expects from the app.
const (
	OIDCClientID     = "linkbase-test"
	OIDCClientSecret = "fake-provider-secret-0123456789abcdef"
)

// NewOIDCProvider starts a fake provider, stopped when the test ends.
func NewOIDCProvider(t testing.TB) *OIDCProvider {
	t.Helper()
	p := &OIDCProvider{codes: map[string]oidcGrant{}, tokens: map[string]OIDCUser{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Enable turns the provider on for the users collection of app, as an admin
// does in the dashboard (users → Options → OAuth2).
func (p *OIDCProvider) Enable(t testing.TB, app core.App) {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	users.OAuth2.Enabled = true
	users.OAuth2.Providers = []core.OAuth2ProviderConfig{{
		Name: "oidc", DisplayName: "Test ID",
		ClientId: OIDCClientID, ClientSecret: OIDCClientSecret,
		AuthURL: p.URL + "/authorize", TokenURL: p.URL + "/token", UserInfoURL: p.URL + "/userinfo",
		PKCE: types.Pointer(true),
	}}
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
}

// Authorize plays the person consenting at the provider: it returns the
// code the provider redirects back with, for user, bound to the PKCE
// challenge of verifier and to redirectURL.
func (p *OIDCProvider) Authorize(user OIDCUser, verifier, redirectURL string) string {
	code := rand.Text()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.codes[code] = oidcGrant{user: user, challenge: PKCEChallenge(verifier), redirectURL: redirectURL}
	return code
}

// PKCEChallenge is the S256 challenge of a PKCE verifier.
func PKCEChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (p *OIDCProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oidcError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != OIDCClientID || secret != OIDCClientSecret {
		oidcError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	p.mu.Lock()
	grant, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code")) // single use, even when the rest is wrong
	p.mu.Unlock()
	if r.PostForm.Get("grant_type") != "authorization_code" || !found ||
		grant.redirectURL != r.PostForm.Get("redirect_uri") ||
		grant.challenge != PKCEChallenge(r.PostForm.Get("code_verifier")) {
		oidcError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	access := rand.Text()
	p.mu.Lock()
	p.tokens[access] = grant.user
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600})
}

func (p *OIDCProvider) userinfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	user, ok := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	fail := p.failUserInfo
	p.mu.Unlock()
	switch {
	case fail:
		oidcError(w, http.StatusInternalServerError, "server_error")
		return
	case !ok:
		oidcError(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sub": user.Sub, "email": user.Email, "email_verified": user.EmailVerified,
		"name": user.Name, "preferred_username": user.Username,
	})
}

func oidcError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}
