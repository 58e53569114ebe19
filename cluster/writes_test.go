package cluster

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"linkbase/handoff"
	"linkbase/testutil"
)

// tally is a write kind of the tests: it adds n to a row of a table the
// test creates.
func tally(t *testing.T, app core.App) {
	t.Helper()
	if _, err := app.DB().NewQuery("CREATE TABLE tally (id TEXT PRIMARY KEY, n INTEGER NOT NULL)").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("INSERT INTO tally (id, n) VALUES ('t', 0)").Execute(); err != nil {
		t.Fatal(err)
	}
	handoff.Handle(app, "tally", func(app core.App, payload json.RawMessage) (func(), error) {
		var n int
		if err := json.Unmarshal(payload, &n); err != nil {
			return nil, err
		}
		_, err := app.DB().NewQuery("UPDATE tally SET n = n + {:n}").Bind(dbx.Params{"n": n}).Execute()
		return nil, err
	})
}

func tallyOf(t *testing.T, app core.App) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT n FROM tally").Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// cluster2 is a primary and a replica of two test apps, the replica's
// writes handed to the primary over HTTP.
func cluster2(t *testing.T) (primary, replica *Node) {
	t.Helper()
	primary, primaryHandler := testNode(t, true, "")
	srv := httptest.NewServer(primaryHandler)
	t.Cleanup(srv.Close)
	replica, _ = testNode(t, false, srv.URL)
	return primary, replica
}

func TestReplicaHandsWritesToThePrimaryExactlyOnce(t *testing.T) {
	primary, replica := cluster2(t)
	tally(t, primary.app)
	tally(t, replica.app)

	// The same batch, sent again and again (its answer lost), concurrently.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := handoff.Submit(context.Background(), replica.app, "tally", "batch-1", 5); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := handoff.Submit(context.Background(), replica.app, "tally", "batch-2", 2); err != nil {
		t.Fatal(err)
	}
	if got := tallyOf(t, primary.app); got != 7 {
		t.Fatalf("the primary counted %d, want 5 once and 2", got)
	}
	if got := tallyOf(t, replica.app); got != 0 {
		t.Fatalf("the replica wrote %d itself", got)
	}
	if got := promtest.ToFloat64(replica.stats.handed.WithLabelValues("tally", "ok")); got != 9 {
		t.Fatalf("handed writes %v, want 9", got)
	}

	// Without an id a write is applied every time; on the primary itself
	// it is applied in place.
	for range 2 {
		if err := handoff.Submit(context.Background(), primary.app, "tally", "", 1); err != nil {
			t.Fatal(err)
		}
	}
	if got := tallyOf(t, primary.app); got != 9 {
		t.Fatalf("the primary counted %d, want 9", got)
	}

	if err := handoff.Submit(context.Background(), replica.app, "no such kind", "", 1); err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("an unknown kind: %v", err)
	}
}

func TestReplicaKeepsAWriteThePrimaryCannotTake(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	replica, _ := testNode(t, false, dead.URL)
	if err := handoff.Submit(context.Background(), replica.app, "tally", "b", 1); err == nil {
		t.Fatal("a write to an unreachable primary reported success")
	}
	orphan, _ := testNode(t, false, "")
	if err := handoff.Submit(context.Background(), orphan.app, "tally", "b", 1); err == nil {
		t.Fatal("a write with no primary reported success")
	}
}

func TestOnlyNodesHandWrites(t *testing.T) {
	primary, handler := testNode(t, true, "")
	tally(t, primary.app)
	body := `{"kind":"tally","payload":100}`
	cases := []struct {
		name, sig string
		want      int
	}{
		{"unsigned", "", http.StatusUnauthorized},
		{"another secret", signWrite([]byte("not-the-cluster-secret"), time.Now().Unix(), []byte(body)), http.StatusUnauthorized},
		{"another body", signWrite(testSecret, time.Now().Unix(), []byte(`{"kind":"tally","payload":1}`)), http.StatusUnauthorized},
		{"too old", signWrite(testSecret, time.Now().Add(-2*time.Minute).Unix(), []byte(body)), http.StatusUnauthorized},
		{"garbled", "x.y", http.StatusUnauthorized},
		{"signed", signWrite(testSecret, time.Now().Unix(), []byte(body)), http.StatusNoContent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := send(handler, "POST", writesPath, body, "203.0.113.7:1", http.Header{headerNodeSignature: {c.sig}})
			if w.Code != c.want {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, c.want)
			}
		})
	}
	if got := tallyOf(t, primary.app); got != 100 {
		t.Fatalf("tally %d, want the signed write alone", got)
	}

	// A replica takes none: it is not the one that writes.
	_, replica := testNode(t, false, "http://127.0.0.1:1")
	w := send(replica, "POST", writesPath, body, "203.0.113.7:1", http.Header{headerNodeSignature: {signWrite(testSecret, time.Now().Unix(), []byte(body))}})
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("a replica answered %d to a write", w.Code)
	}
}

func TestLoginRecordsOfAReplicaAreWrittenOnThePrimary(t *testing.T) {
	primary, replica := cluster2(t)
	replica.bindRecordWrites(replica.app)
	primary.bindRecordWrites(primary.app)
	// ann exists on both, with one id, as replication would have it.
	annOnReplica := testutil.CreateUser(t, replica.app, "ann@example.com", "ann", nil)
	ann := testutil.CreateUser(t, primary.app, "ann@example.com", "ann", nil)
	if _, err := primary.app.DB().NewQuery("UPDATE users SET id = {:id} WHERE id = {:old}").
		Bind(dbx.Params{"id": annOnReplica.Id, "old": ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	ann.Id = annOnReplica.Id

	origin := core.NewAuthOrigin(replica.app)
	origin.SetCollectionRef(annOnReplica.Collection().Id)
	origin.SetRecordRef(ann.Id)
	origin.SetFingerprint("fingerprint-1")
	if err := replica.app.Save(origin); err != nil {
		t.Fatal(err)
	}
	if origin.IsNew() {
		t.Fatal("the saved origin still counts as new")
	}
	count := func(app core.App, table string) int {
		var n int
		if err := app.DB().Select("count(*)").From(table).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(replica.app, core.CollectionNameAuthOrigins) != 0 {
		t.Fatal("the replica wrote the auth origin itself")
	}
	onPrimary, err := primary.app.FindAuthOriginById(origin.Id)
	if err != nil || onPrimary.Fingerprint() != "fingerprint-1" || onPrimary.RecordRef() != ann.Id {
		t.Fatalf("on the primary: %v %v", onPrimary, err)
	}

	// An update (a login from a known place) and a delete reach it too.
	origin.SetFingerprint("fingerprint-2")
	if err := replica.app.Save(origin); err != nil {
		t.Fatal(err)
	}
	if onPrimary, _ = primary.app.FindAuthOriginById(origin.Id); onPrimary.Fingerprint() != "fingerprint-2" {
		t.Fatalf("update not handed over: %q", onPrimary.Fingerprint())
	}
	if err := replica.app.Delete(origin); err != nil {
		t.Fatal(err)
	}
	if count(primary.app, core.CollectionNameAuthOrigins) != 0 {
		t.Fatal("delete not handed over")
	}

	// An MFA session made by a first factor on the replica.
	mfa := core.NewMFA(replica.app)
	mfa.SetCollectionRef(annOnReplica.Collection().Id)
	mfa.SetRecordRef(ann.Id)
	mfa.SetMethod("password")
	if err := replica.app.Save(mfa); err != nil {
		t.Fatal(err)
	}
	if got, err := primary.app.FindMFAById(mfa.Id); err != nil || got.Method() != "password" {
		t.Fatalf("MFA session on the primary: %v %v", got, err)
	}

	// Any other table is refused by the primary.
	err = handoff.Submit(context.Background(), replica.app, recordWriteKind, "", recordWrite{Table: "users", ID: ann.Id, Row: map[string]any{"credits": 1e6}})
	if err == nil {
		t.Fatal("a handed write of users was applied")
	}
}
