package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServe builds the binary and runs `serve` on a fresh data folder, as
// the README's first command does, then walks the account flow over real
// HTTP with a cookie jar, like a browser.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	dir := t.TempDir()
	bin := builtBinary(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", filepath.Join(dir, "pb_data"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	base := "http://" + addr
	waitHealthy(t, base)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res := do(t, client, "POST", base+"/api/register", `{"email":"ann@example.com","username":"ann","password":"quiet-river-5512"}`, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", res.StatusCode)
	}
	var csrf string
	for _, c := range res.Cookies() {
		if c.Name == "csrf_token" {
			csrf = c.Value
		}
	}

	res = do(t, client, "GET", base+"/api/me", "", nil)
	var me map[string]any
	_ = json.NewDecoder(res.Body).Decode(&me)
	if res.StatusCode != http.StatusOK || me["username"] != "ann" {
		t.Fatalf("me by cookie: %d %v", res.StatusCode, me)
	}

	if res := do(t, client, "POST", base+"/api/logout", "", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("logout by cookie without the CSRF header: %d, want 403", res.StatusCode)
	}
	if res := do(t, client, "POST", base+"/api/logout", "", map[string]string{"X-CSRF-Token": csrf}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := do(t, client, "GET", base+"/api/me", "", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after logout: %d, want 401", res.StatusCode)
	}

	for path, want := range map[string]int{"/": 200, "/_/": 200, "/embed.go": 404} {
		if res := do(t, client, "GET", base+path, "", nil); res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}

	res = do(t, client, "GET", base+"/api/health", "", map[string]string{"Origin": "https://elsewhere.example"})
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("CORS for another origin: %v", res.Header)
	}

	out, err := exec.Command(bin, "migrate", "--help", "--dir", filepath.Join(dir, "pb_data")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "migrate") {
		t.Errorf("migrate command: %v\n%s", err, out)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binDir holds the binary the tests build once and share.
var binDir string

// builtBinary builds the app once per test run. It lands in a temporary
// folder, where PocketBase takes a binary for one started by `go run`: the
// tests see what the README's `go run . serve` shows.
var builtBinary = func() func(t *testing.T) string {
	var once sync.Once
	var bin string
	var err error
	return func(t *testing.T) string {
		t.Helper()
		once.Do(func() {
			if binDir, err = os.MkdirTemp("", "linkbase_bin_"); err != nil {
				return
			}
			bin = filepath.Join(binDir, "linkbase")
			var out []byte
			if out, err = exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
				err = fmt.Errorf("%w\n%s", err, out)
			}
		})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return bin
	}
}()

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	for range 300 {
		if res, err := http.Get(base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the server did not become healthy in 30 s")
}

func do(t *testing.T, client *http.Client, method, url, body string, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(fmt.Errorf("%s %s: %w", method, url, err))
	}
	t.Cleanup(func() { _, _ = io.Copy(io.Discard, res.Body); res.Body.Close() })
	return res
}
