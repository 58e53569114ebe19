package cluster

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"linkbase/handoff"
	"linkbase/testutil"
)

var testSecret = []byte("a-secret-of-the-nodes-only")

func TestNeedsPrimary(t *testing.T) {
	cases := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/api/profiles/ann", false},
		{"HEAD", "/ann", false},
		{"OPTIONS", "/api/register", false},
		{"POST", "/api/register", false}, // hashes here, then Forward
		{"POST", "/api/login", false},
		{"POST", "/api/logout", true},
		{"POST", "/api/collections/users/auth-with-password", true},
		{"PUT", "/api/login", true},
		{"PUT", "/api/x", true},
		{"PATCH", "/api/collections/users/records/x", true},
		{"DELETE", "/api/collections/links/records/x", true},
		{"GET", "/api/realtime", true},
		{"GET", "/api/oauth2-redirect", true},
		{"GET", "/api/realtimeish", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, c.path, nil)
		if got := needsPrimary(r); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.method, c.path, got, c.want)
		}
	}
}

func TestForwardSignature(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	signed := func() *http.Request {
		r := httptest.NewRequest("POST", "http://links.example.com/api/register?x=1", nil)
		r.Header.Set(headerClientIP, "203.0.113.7")
		r.Header.Set(headerSignature, sign(testSecret, now.Unix(), "203.0.113.7", r))
		return r
	}
	cases := []struct {
		name   string
		change func(r *http.Request)
		at     time.Time
		secret []byte
		want   bool
	}{
		{name: "valid", want: true},
		{name: "another client address", change: func(r *http.Request) { r.Header.Set(headerClientIP, "198.51.100.1") }},
		{name: "another path", change: func(r *http.Request) { r.URL.Path = "/api/login" }},
		{name: "another query", change: func(r *http.Request) { r.URL.RawQuery = "x=2" }},
		{name: "another method", change: func(r *http.Request) { r.Method = "DELETE" }},
		{name: "another host", change: func(r *http.Request) { r.Host = "evil.example.com" }},
		{name: "another secret", secret: []byte("another-secret-entirely")},
		{name: "too old", at: now.Add(2 * time.Minute)},
		{name: "from the future", at: now.Add(-2 * time.Minute)},
		{name: "within the skew", at: now.Add(30 * time.Second), want: true},
		{name: "no signature", change: func(r *http.Request) { r.Header.Del(headerSignature) }},
		{name: "garbled signature", change: func(r *http.Request) { r.Header.Set(headerSignature, "garbage") }},
		{name: "not an address", change: func(r *http.Request) {
			r.Header.Set(headerClientIP, "not-an-ip")
			r.Header.Set(headerSignature, sign(testSecret, now.Unix(), "not-an-ip", r))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := signed()
			if c.change != nil {
				c.change(r)
			}
			at, secret := now, testSecret
			if !c.at.IsZero() {
				at = c.at
			}
			if c.secret != nil {
				secret = c.secret
			}
			ip, _, ok := verifyForwarded(secret, r, at)
			if ok != c.want || (ok && ip != "203.0.113.7") {
				t.Fatalf("verify = %q, %v; want %v", ip, ok, c.want)
			}
			if r.Header.Get(headerClientIP) != "" || r.Header.Get(headerSignature) != "" {
				t.Fatal("the internal headers must be removed whatever the outcome")
			}
		})
	}
}

// testNode is a node of a test app, in the role given, without LiteFS.
func testNode(t *testing.T, isPrimary bool, primary string) (*Node, http.Handler) {
	t.Helper()
	app := testutil.NewApp(t)
	n := newNode(app, Config{Secret: testSecret})
	n.known, n.isPrimary = true, isPrimary
	handoff.SetNode(app, n)
	if primary != "" {
		u, err := url.Parse(primary)
		if err != nil {
			t.Fatal(err)
		}
		n.primary = u
	}
	h := testutil.Handler(t, app, func(e *core.ServeEvent) {
		e.Router.Bind(n.forwarder())
		echo := func(e *core.RequestEvent) error {
			b, _ := io.ReadAll(e.Request.Body)
			return e.String(http.StatusCreated, e.RealIP()+" "+e.Request.Method+" "+string(b))
		}
		e.Router.POST("/echo", echo)
		e.Router.GET("/echo", echo)
		// A handler that does its heavy part on any node, then forwards.
		e.Router.POST("/hashes", func(e *core.RequestEvent) error {
			if hash, ok := handoff.Vouched(e, "password_hash"); ok {
				b, _ := io.ReadAll(e.Request.Body)
				return e.String(http.StatusCreated, "primary inserts "+hash+" for "+e.RealIP()+" "+string(b))
			}
			if forwarded, err := handoff.Forward(e, url.Values{"password_hash": {"$2a$hash-of-" + e.Request.URL.Query().Get("p")}}); forwarded {
				return err
			}
			return e.String(http.StatusCreated, "hashed and inserted here")
		})
	})
	return n, h
}

func send(h http.Handler, method, path, body, remote string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = remote
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestReplicaForwardsWritesToThePrimary(t *testing.T) {
	primaryNode, primaryHandler := testNode(t, true, "")
	primary := httptest.NewServer(primaryHandler)
	defer primary.Close()
	_, replica := testNode(t, false, primary.URL)

	w := send(replica, "POST", "/echo", `{"a":1}`, "203.0.113.7:4321", nil)
	if w.Code != http.StatusCreated || w.Body.String() != `203.0.113.7 POST {"a":1}` {
		t.Fatalf("forwarded write: %d %q, want the primary's answer with the client's address and the body once", w.Code, w.Body)
	}
	if got := promtest.ToFloat64(primaryNode.stats.forwarded.WithLabelValues("forwarded")); got != 0 {
		t.Fatalf("the primary counted %v forwards of its own", got)
	}

	// Reads stay on the replica: the socket address is its own.
	w = send(replica, "GET", "/echo", "", "203.0.113.8:4321", nil)
	if w.Code != http.StatusCreated || w.Body.String() != "203.0.113.8 GET " {
		t.Fatalf("read: %d %q", w.Code, w.Body)
	}
}

func TestPrimaryIgnoresUnsignedClientAddress(t *testing.T) {
	_, primary := testNode(t, true, "")
	forged := http.Header{headerClientIP: {"198.51.100.9"}, headerSignature: {"1800000000.00"}}
	w := send(primary, "POST", "/echo", "x", "203.0.113.7:1", forged)
	if w.Body.String() != "203.0.113.7 POST x" {
		t.Fatalf("forged address: %q, want the socket address", w.Body)
	}
}

func TestReplicaRefusesWhatItCannotForward(t *testing.T) {
	t.Run("no primary known", func(t *testing.T) {
		n, replica := testNode(t, false, "")
		w := send(replica, "POST", "/echo", "x", "203.0.113.7:1", nil)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Fatalf("%d %v", w.Code, w.Header())
		}
		if got := promtest.ToFloat64(n.stats.forwarded.WithLabelValues("no_primary")); got != 1 {
			t.Fatalf("no_primary counted %v", got)
		}
	})
	t.Run("primary unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		_, replica := testNode(t, false, dead.URL)
		w := send(replica, "POST", "/echo", "x", "203.0.113.7:1", nil)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"status":503`) {
			t.Fatalf("%d %v %s", w.Code, w.Header(), w.Body)
		}
	})
	t.Run("a request another node forwarded", func(t *testing.T) {
		// Another node took this replica for the primary: forwarding it on
		// could loop while the role changes hands.
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t.Error("a forwarded request was forwarded again")
		}))
		defer target.Close()
		n, replica := testNode(t, false, target.URL)
		r := httptest.NewRequest("POST", "/echo", strings.NewReader("x"))
		header := http.Header{headerClientIP: {"203.0.113.7"}, headerSignature: {sign(testSecret, time.Now().Unix(), "203.0.113.7", r)}}
		w := send(replica, "POST", "/echo", "x", "192.0.2.1:1", header)
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if got := promtest.ToFloat64(n.stats.forwarded.WithLabelValues("loop")); got != 1 {
			t.Fatalf("loop counted %v", got)
		}
	})
}

func TestAReplicaHashesThenForwardsTheInsert(t *testing.T) {
	saved := runsOnAnyNode
	runsOnAnyNode = append(slices.Clone(runsOnAnyNode), "/hashes")
	defer func() { runsOnAnyNode = saved }()
	primaryNode, primaryHandler := testNode(t, true, "")
	primary := httptest.NewServer(primaryHandler)
	defer primary.Close()
	_, replica := testNode(t, false, primary.URL)

	w := send(replica, "POST", "/hashes?p=x", `{"password":"x"}`, "203.0.113.7:4321", nil)
	if w.Code != http.StatusCreated || w.Body.String() != `primary inserts $2a$hash-of-x for 203.0.113.7 {"password":"x"}` {
		t.Fatalf("%d %q: want the primary to insert the replica's hash, with the client's address and the body", w.Code, w.Body)
	}
	// On the primary itself nothing is forwarded.
	if w := send(primaryHandler, "POST", "/hashes", "{}", "203.0.113.7:1", nil); w.Body.String() != "hashed and inserted here" {
		t.Fatalf("on the primary: %q", w.Body)
	}
	if got := promtest.ToFloat64(primaryNode.stats.forwarded.WithLabelValues("forwarded")); got != 0 {
		t.Fatalf("the primary forwarded %v", got)
	}
}

func TestVouchesHoldOnlyForTheSignedBody(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	r := httptest.NewRequest("POST", "http://links.example.com/api/register", strings.NewReader(`{"password":"a"}`))
	vouch := url.Values{"password_hash": {"$2a$h"}}.Encode()
	sig := signVouched(testSecret, now.Unix(), "203.0.113.7", r, vouch, bodyDigest([]byte(`{"password":"a"}`)))
	for _, c := range []struct {
		name, body, vouch string
		want              bool
	}{
		{"as signed", `{"password":"a"}`, vouch, true},
		{"another body", `{"password":"b"}`, vouch, false},
		{"another hash", `{"password":"a"}`, url.Values{"password_hash": {"$2a$other"}}.Encode(), false},
		{"a forged vouch on a large upload", strings.Repeat("x", maxVouchedBody+10), vouch, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://links.example.com/api/register", strings.NewReader(c.body))
			r.Header.Set(headerClientIP, "203.0.113.7")
			r.Header.Set(headerVouch, c.vouch)
			r.Header.Set(headerSignature, sig)
			_, got, ok := verifyForwarded(testSecret, r, now)
			if ok != c.want || (ok && got.Get("password_hash") != "$2a$h") {
				t.Fatalf("verify = %v %v, want %v", got, ok, c.want)
			}
			if b, _ := io.ReadAll(r.Body); string(b) != c.body {
				t.Fatalf("the body was not put back: %q", b)
			}
		})
	}
}
