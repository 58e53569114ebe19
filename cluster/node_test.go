package cluster

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"linkbase/schema"
	"linkbase/testutil"
)

// fakeLiteFS serves the two endpoints of LiteFS's API a node uses: GET
// /info, and GET /events streaming the lines the test sends (an empty
// line ends the stream, as LiteFS does with a reader that fell behind).
type fakeLiteFS struct {
	*httptest.Server
	mu     sync.Mutex
	info   string
	events chan string
}

func newFakeLiteFS(t *testing.T, info string) *fakeLiteFS {
	f := &fakeLiteFS{info: info, events: make(chan string, 16)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/info":
			f.mu.Lock()
			defer f.mu.Unlock()
			fmt.Fprintln(w, f.info)
		case "/events":
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			for {
				select {
				case <-r.Context().Done():
					return
				case line := <-f.events:
					if line == "" {
						return
					}
					fmt.Fprintln(w, line)
					w.(http.Flusher).Flush()
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeLiteFS) send(typ string, data any) {
	b, _ := json.Marshal(map[string]any{"type": typ, "db": dataDBName, "data": data})
	f.events <- string(b)
}

func TestWaitReady(t *testing.T) {
	const replicaInfo = `{"isPrimary": false, "primary": {"hostname": "127.0.0.1:18710"}}`
	cases := []struct {
		name    string
		info    string // empty: LiteFS does not answer
		dataDB  bool
		noMount bool
		wantErr string
	}{
		{name: "the primary", info: `{"isPrimary": true, "primary": {"hostname": "127.0.0.1:18710"}}`},
		{name: "a replica with its copy", info: replicaInfo, dataDB: true},
		{name: "a replica before its copy", info: replicaInfo, wantErr: "no copy of data.db"},
		{name: "a replica that knows no primary", info: `{"isPrimary": false, "primary": {}}`, dataDB: true, wantErr: "no primary"},
		{name: "LiteFS down", wantErr: "not ready"},
		{name: "no mount", info: replicaInfo, noMount: true, wantErr: "is LiteFS mounted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mount := t.TempDir()
			if c.dataDB {
				if err := os.WriteFile(filepath.Join(mount, dataDBName), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.noMount {
				mount = filepath.Join(mount, "absent")
			}
			api := "http://127.0.0.1:1"
			if c.info != "" {
				api = newFakeLiteFS(t, c.info).URL
			}
			n := newNode(testutil.NewApp(t), Config{Mount: mount, API: api, Wait: 300 * time.Millisecond})
			_, err := n.waitReady(t.Context())
			if c.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("error %v, want one saying %q", err, c.wantErr)
			}
		})
	}
}

// TestReplicaFollowsReplicatedChanges plays LiteFS's event stream to a
// replica whose database another process (the primary) changes underneath.
func TestReplicaFollowsReplicatedChanges(t *testing.T) {
	app := testutil.NewApp(t)
	fake := newFakeLiteFS(t, "{}")
	n := newNode(app, Config{Mount: t.TempDir(), API: fake.URL, Secret: testSecret})
	s, err := n.readStamps()
	if err != nil {
		t.Fatal(err)
	}
	n.stamps = s
	changes := make(chan Change, 16)
	n.Subscribe(func(c Change) { changes <- c })
	next := func() Change {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no change reached the subscriber")
			return Change{}
		}
	}
	app.Cron().SetInterval(10 * time.Millisecond) // so that a started cron shows at once
	n.start()
	defer n.shutdown()
	defer n.hold.release() // a replica empties PocketBase's migration lists

	fake.send("init", map[string]any{"isPrimary": false, "hostname": "127.0.0.1:18710"})
	waitUntil(t, func() bool { return n.Primary() != nil })
	if n.IsPrimary() || n.Primary().String() != "http://127.0.0.1:18710" {
		t.Fatalf("role: primary %v at %v", n.IsPrimary(), n.Primary())
	}

	// The primary renames the app and changes a collection's rule.
	exec(t, app, `UPDATE {{_params}} SET [[value]] = json_set([[value]], '$.meta.appName', 'Renamed'), [[updated]] = '2099-01-01 00:00:00.000Z' WHERE [[id]] = 'settings'`)
	exec(t, app, `UPDATE {{_collections}} SET [[listRule]] = 'id = "nobody"', [[updated]] = '2099-01-01 00:00:00.000Z' WHERE [[name]] = '`+schema.Links+`'`)
	committed := time.Now().Add(-5 * time.Millisecond).UTC()
	fake.send("tx", map[string]any{"txID": "000000000000002a", "timestamp": committed})

	c := next()
	if c.TXID != 42 || !c.Committed.Equal(committed) || c.Resync {
		t.Fatalf("change %+v", c)
	}
	if got := app.Settings().Meta.AppName; got != "Renamed" {
		t.Fatalf("settings not reloaded before the subscribers ran: app name %q", got)
	}
	links, err := app.FindCachedCollectionByNameOrId(schema.Links)
	if err != nil || links.ListRule == nil || *links.ListRule != `id = "nobody"` {
		t.Fatalf("collections not reloaded: %v %v", links.ListRule, err)
	}

	// A transaction that touches neither reloads nothing.
	fake.send("tx", map[string]any{"txID": "000000000000002b", "timestamp": time.Now().UTC()})
	if c := next(); c.TXID != 43 {
		t.Fatalf("change %+v", c)
	}
	for _, what := range []string{"settings", "collections"} {
		if got := promtest.ToFloat64(n.stats.reloads.WithLabelValues(what)); got != 1 {
			t.Errorf("%s reloaded %v times, want 1", what, got)
		}
	}
	if got := promtest.ToFloat64(n.stats.replicated); got != 2 {
		t.Errorf("replicated transactions %v, want 2", got)
	}

	// A broken stream may have hidden transactions: the subscribers are
	// told to drop everything.
	fake.events <- ""
	fake.send("init", map[string]any{"isPrimary": false, "hostname": "127.0.0.1:18710"})
	if c := next(); !c.Resync {
		t.Fatalf("after a reconnection: %+v, want a resync", c)
	}

	// Promoted, the node writes: it runs cron jobs and ignores its own
	// transactions.
	fake.send("primaryChange", map[string]any{"isPrimary": true})
	waitUntil(t, func() bool { return n.IsPrimary() && app.Cron().HasStarted() })
	if n.Primary() != nil {
		t.Fatalf("promoted, yet the primary is %v", n.Primary())
	}
	fake.send("tx", map[string]any{"txID": "000000000000002c", "timestamp": time.Now().UTC()})
	fake.send("primaryChange", map[string]any{"isPrimary": false, "hostname": "127.0.0.1:18720"})
	waitUntil(t, func() bool { return !n.IsPrimary() && !app.Cron().HasStarted() })
	select {
	case c := <-changes:
		t.Fatalf("the primary's own transaction reached the subscribers: %+v", c)
	case <-time.After(100 * time.Millisecond):
	}
}

// exec changes the database behind the app's back, as replication does.
func exec(t *testing.T, app core.App, sql string) {
	t.Helper()
	if _, err := app.NonconcurrentDB().NewQuery(sql).Execute(); err != nil {
		t.Fatal(err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10 s")
}
