package proxywarn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/logger"

	"linkbase/proxywarn"
	"linkbase/refstore"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// served is a test app with the warning registered, its handler and its
// terminal.
func served(t *testing.T, prepare func(testing.TB, *tests.TestApp)) (*tests.TestApp, http.Handler, *testutil.Output) {
	t.Helper()
	app := testutil.NewApp(t)
	app.Settings().Logs.MaxDays = 1 // test apps keep no log; the warning's entry is read back
	if prepare != nil {
		prepare(t, app)
	}
	out := &testutil.Output{}
	proxywarn.Register(app, out)
	return app, testutil.Handler(t, app), out
}

func request(h http.Handler, path, remoteAddr string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = remoteAddr
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// warnLogs flushes the app log and returns its warnings.
func warnLogs(t *testing.T, app core.App) []*core.Log {
	t.Helper()
	if err := app.Logger().Handler().(*logger.BatchHandler).WriteAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	var logs []*core.Log
	if err := app.LogQuery().AndWhere(dbx.HashExp{"level": 4}).All(&logs); err != nil {
		t.Fatal(err)
	}
	return logs
}

func trustHeader(t testing.TB, app *tests.TestApp) {
	s := app.Settings()
	s.TrustedProxy.Headers = []string{"X-Forwarded-For"}
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
}

func localTrial(t testing.TB, app *tests.TestApp) {
	if err := refstore.EnableLocalTrial(app); err != nil {
		t.Fatal(err)
	}
}

func TestWarnsAtTheFirstRequestFromAProxyAddress(t *testing.T) {
	for _, c := range []struct {
		name, remote, path string
		headers            map[string]string
		prepare            func(testing.TB, *tests.TestApp)
		warn               bool
		says               []string
	}{
		{name: "loopback", remote: "127.0.0.1:5000", path: "/", warn: true,
			says: []string{"from 127.0.0.1", "IP proxy headers", "usually X-Forwarded-For", "LINKBASE_TRUSTED_PROXY_HEADERS=X-Forwarded-For", "LINKBASE_LOCAL_TRIAL=1"}},
		{name: "private address with the proxy's header", remote: "10.1.2.3:5000", path: "/api/referral-stats",
			headers: map[string]string{"X-Real-IP": "198.51.100.4"}, warn: true,
			says: []string{"from 10.1.2.3", "this request has X-Real-IP", "LINKBASE_TRUSTED_PROXY_HEADERS=X-Real-IP", "connect directly"}},
		{name: "IPv6 loopback", remote: "[::1]:5000", path: "/login", warn: true},
		{name: "IPv4 loopback written as IPv6", remote: "[::ffff:127.0.0.1]:5000", path: "/", warn: true},
		{name: "docker bridge", remote: "172.18.0.2:5000", path: "/", warn: true},
		{name: "home network", remote: "192.168.1.20:5000", path: "/", warn: true},
		{name: "IPv6 unique local", remote: "[fd00::7]:5000", path: "/", warn: true},
		{name: "carrier-grade NAT range", remote: "100.64.3.4:5000", path: "/", warn: true},
		{name: "private address in a local trial", remote: "10.0.0.9:5000", path: "/", prepare: localTrial, warn: true},
		{name: "public address", remote: "203.0.113.9:5000", path: "/"},
		{name: "loopback with a trusted header set", remote: "127.0.0.1:5000", path: "/", prepare: trustHeader},
		{name: "loopback health probe", remote: "127.0.0.1:5000", path: "/api/health"},
		{name: "loopback in a local trial", remote: "127.0.0.1:5000", path: "/", prepare: localTrial},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, h, out := served(t, c.prepare)
			request(h, c.path, c.remote, c.headers)
			logs := warnLogs(t, app)
			if !c.warn {
				if out.String() != "" || len(logs) != 0 {
					t.Fatalf("warned: %q, %d log entries", out, len(logs))
				}
				return
			}
			for _, want := range c.says {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the warning does not say %q:\n%s", want, out)
				}
			}
			if len(logs) != 1 || !strings.Contains(logs[0].Message, proxywarnSetting) {
				t.Fatalf("want one log entry naming the setting, got %d: %v", len(logs), logs)
			}
		})
	}
}

const proxywarnSetting = "Settings → Application → IP proxy headers"

// TestWarnsOnce sends 50 concurrent requests from loopback, then more:
// one warning in the terminal and one in the log.
func TestWarnsOnce(t *testing.T) {
	app, h, out := served(t, nil)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { request(h, "/", "127.0.0.1:5000", nil) })
	}
	wg.Wait()
	request(h, "/login", "10.0.0.1:5000", nil)
	if n := strings.Count(out.String(), "(!) Requests arrive from"); n != 1 {
		t.Errorf("%d warnings in the terminal, want 1:\n%s", n, out)
	}
	if logs := warnLogs(t, app); len(logs) != 1 {
		t.Errorf("%d warnings in the log, want 1", len(logs))
	}
}

// TestHealthNamesTheProxyHeaderToSuperusers: the dashboard flags the IP
// proxy headers setting from data.possibleProxyHeader, which PocketBase
// alone leaves empty for X-Forwarded-For.
func TestHealthNamesTheProxyHeaderToSuperusers(t *testing.T) {
	for _, c := range []struct {
		name    string
		admin   bool
		headers map[string]string
		prepare func(testing.TB, *tests.TestApp)
		want    any // data.possibleProxyHeader; nil when absent
	}{
		{"superuser behind a proxy sending X-Forwarded-For", true, map[string]string{"X-Forwarded-For": "198.51.100.4"}, nil, "X-Forwarded-For"},
		{"superuser behind a proxy sending X-Real-IP", true, map[string]string{"X-Real-IP": "198.51.100.4"}, nil, "X-Real-IP"},
		{"a header PocketBase detects itself", true, map[string]string{"CF-Connecting-IP": "198.51.100.4", "X-Forwarded-For": "198.51.100.4"}, nil, "CF-Connecting-IP"},
		{"the trusted header, found by PocketBase", true, map[string]string{"X-Forwarded-For": "198.51.100.4"}, trustHeader, "X-Forwarded-For"},
		{"no proxy header", true, nil, nil, ""},
		{"guest", false, map[string]string{"X-Forwarded-For": "198.51.100.4"}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, h, _ := served(t, c.prepare)
			headers := map[string]string{}
			for k, v := range c.headers {
				headers[k] = v
			}
			if c.admin {
				headers["Authorization"] = testutil.SuperuserToken(t, app)
			}
			rec := request(h, "/api/health", "127.0.0.1:5000", headers)
			var answer struct {
				Code int            `json:"code"`
				Data map[string]any `json:"data"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || rec.Code != http.StatusOK || answer.Code != http.StatusOK {
				t.Fatalf("health: %d %s (%v)", rec.Code, rec.Body, err)
			}
			if got := answer.Data["possibleProxyHeader"]; got != c.want {
				t.Errorf("possibleProxyHeader %v, want %v (%s)", got, c.want, rec.Body)
			}
			if c.admin && (answer.Data["realIP"] == nil || answer.Data["canBackup"] == nil) {
				t.Errorf("the rest of PocketBase's answer was lost: %s", rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}
