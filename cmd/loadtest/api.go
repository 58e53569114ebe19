package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// browserUserAgent is what every request of the tool presents.
const browserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

// seedPassword passes the password policy and is shared by every seeded
// and registered account, so login and register hash the same input.
const seedPassword = "lantern-orbit-7319"

// env is what the scenarios share: the server, one pooled HTTP client, the
// superuser's token and the seeded accounts.
type env struct {
	base       string
	client     *http.Client
	adminToken string
	runID      string       // keeps the run's accounts apart from any others
	seq        atomic.Int64 // numbers the accounts a run registers
	users      []account
	extra      sync.Map         // what later scenarios seed, by name
	history    []historyAccount // seeded before the server started: small, large
	srv        *server          // the app when the tool started it, else nil (-target)
}

// account is a seeded user as the API returned it.
type account struct {
	ID, Username, Email, Token, ReferralCode string
}

func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout: 2 * time.Minute,
		// A redirect (GET /l/{id}) is the answer under test; following it
		// would send traffic off this machine.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			Proxy:               nil, // traffic stays on the loopback, whatever HTTP_PROXY says
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        concurrency + 16,
			MaxIdleConnsPerHost: concurrency + 16,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}

// checkLoopback refuses any target but this machine's loopback: the tool
// sends bursts that must never reach someone else's server.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("target %q is not an http(s) URL", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("target %q is not a loopback address (127.0.0.1, ::1, localhost)", base)
}

// newRequest builds a request to the server with an optional JSON body and
// Authorization header.
func (e *env) newRequest(ctx context.Context, method, path string, body any, token string) (*http.Request, error) {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, reader)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// A person's browser: Go's own "Go-http-client" is on the crawler
	// list, whose views and clicks are not counted (and cost less).
	req.Header.Set("User-Agent", browserUserAgent)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	return req, nil
}

// call sends one setup request and decodes the JSON answer into out,
// failing unless the status is want.
func (e *env) call(ctx context.Context, method, path string, body any, token string, want int, out any) error {
	req, err := e.newRequest(ctx, method, path, body, token)
	if err != nil {
		return err
	}
	res, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d, want %d: %.300s", method, path, res.StatusCode, want, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// loginAdmin authenticates the superuser.
func (e *env) loginAdmin(ctx context.Context, email, password string) error {
	var res struct{ Token string }
	err := e.call(ctx, http.MethodPost, "/api/collections/_superusers/auth-with-password",
		map[string]string{"identity": email, "password": password}, "", http.StatusOK, &res)
	e.adminToken = res.Token
	return err
}

// relaxRateLimits switches PocketBase's rate limiter off through the
// settings API, as an admin would before a load test, and returns a func
// that restores the previous state.
func (e *env) relaxRateLimits(ctx context.Context) (restore func(context.Context) error, err error) {
	var settings struct {
		RateLimits struct {
			Enabled bool `json:"enabled"`
		} `json:"rateLimits"`
	}
	if err := e.call(ctx, http.MethodGet, "/api/settings", nil, e.adminToken, http.StatusOK, &settings); err != nil {
		return nil, err
	}
	set := func(ctx context.Context, enabled bool) error {
		body := map[string]any{"rateLimits": map[string]any{"enabled": enabled}}
		return e.call(ctx, http.MethodPatch, "/api/settings", body, e.adminToken, http.StatusOK, nil)
	}
	if err := set(ctx, false); err != nil {
		return nil, err
	}
	was := settings.RateLimits.Enabled
	return func(ctx context.Context) error { return set(ctx, was) }, nil
}

// nextName is a fresh username (and email local part) for this run.
func (e *env) nextName(prefix string) string {
	return fmt.Sprintf("%s%s%06d", prefix, e.runID, e.seq.Add(1))
}

// register signs an account up through POST /api/register.
func (e *env) register(ctx context.Context, username, referralCode string) (account, error) {
	body := map[string]string{"email": username + "@example.com", "username": username, "password": seedPassword}
	if referralCode != "" {
		body["referral_code"] = referralCode
	}
	var res struct {
		Token string
		User  struct {
			ID           string `json:"id"`
			ReferralCode string `json:"referral_code"`
		}
	}
	if err := e.call(ctx, http.MethodPost, "/api/register", body, "", http.StatusCreated, &res); err != nil {
		return account{}, err
	}
	return account{ID: res.User.ID, Username: username, Email: body["email"], Token: res.Token, ReferralCode: res.User.ReferralCode}, nil
}

// seedUsers registers n accounts, a few at a time.
func (e *env) seedUsers(ctx context.Context, n int) error {
	e.users = make([]account, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			acc, err := e.register(ctx, e.nextName("seed"), "")
			e.users[i] = acc
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return fmt.Errorf("seeding users: %w", err)
		}
	}
	return nil
}
