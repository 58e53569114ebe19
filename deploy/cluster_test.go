//go:build cluster

// The cluster test: `make cluster-test` (go test -tags cluster ./deploy).
// It brings a 3-node cluster up with deploy/local-cluster.sh, checks what
// API.md's "Cluster" section promises, tears it down and prints figures
// (replication lag, failover and restore times). Outside CI a machine
// without FUSE skips it; with CI=true a missing piece fails it.
package deploy

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	adminEmail    = "admin@example.com"
	adminPassword = "cluster-admin-password-1"
	metricsToken  = "cluster-test-metrics-token"
)

// requireTools skips (or, in CI, fails) when the machine cannot run FUSE.
func requireTools(t *testing.T) {
	var missing []string
	if _, err := os.Stat("/dev/fuse"); err != nil {
		missing = append(missing, "/dev/fuse")
	}
	for _, tool := range []string{"go", "bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (to mount FUSE and install Debian packages)")
	}
	if len(missing) == 0 {
		return
	}
	msg := "the cluster test needs " + strings.Join(missing, ", ")
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func newCluster(t *testing.T) *cluster {
	requireTools(t)
	dir, err := os.MkdirTemp("", "linkbase-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	port := 18700
	if p, err := strconv.Atoi(os.Getenv("CLUSTER_PORT")); err == nil {
		port = p
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		out, err := exec.Command("go", "env", "GOPATH").Output()
		if err != nil {
			t.Fatal(err)
		}
		gobin = filepath.Join(strings.TrimSpace(string(out)), "bin")
	}
	c := &cluster{
		t: t, dir: dir, port: port, nodes: 3,
		script: filepath.Join(repoRoot(), "deploy", "local-cluster.sh"),
		env: []string{
			"CLUSTER_DIR=" + dir, "NODES=3", "PORT=" + strconv.Itoa(port), "GOBIN=" + gobin,
			"LINKBASE_METRICS_TOKEN=" + metricsToken,
		},
		client: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	t.Cleanup(func() {
		if _, err := c.try("down"); err != nil {
			t.Errorf("down: %v", err)
		}
		if t.Failed() {
			t.Logf("cluster folder kept for a look: %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	start := time.Now()
	if _, err := c.try("up"); err != nil {
		t.Fatalf("up: %v", err)
	}
	t.Logf("up in %s", time.Since(start).Round(time.Millisecond))
	return c
}

func TestCluster(t *testing.T) {
	c := newCluster(t)
	figures := map[string]string{}
	defer func() {
		keys := make([]string, 0, len(figures))
		for k := range figures {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Printf("cluster figure: %-34s %s\n", k, figures[k])
		}
	}()

	t.Run("status names one primary and two replicas", func(t *testing.T) {
		nodes := c.status()
		roles := map[string]int{}
		for _, n := range nodes {
			roles[n.Role]++
			if n.PID == nil || !strings.HasPrefix(n.URL, "http://127.0.0.1:") {
				t.Errorf("node %+v", n)
			}
		}
		if len(nodes) != 3 || roles["primary"] != 1 || roles["replica"] != 2 || nodes[0].Role != "primary" {
			t.Fatalf("status %+v", nodes)
		}
	})

	// A superuser (made on the primary with the CLI), who relaxes the rate
	// limits as an admin would before a load test: every request here
	// comes from 127.0.0.1.
	c.sh("superuser", adminEmail, adminPassword)
	var auth struct{ Token string }
	if st, err := c.do("POST", c.balancer()+"/api/collections/_superusers/auth-with-password",
		map[string]string{"identity": adminEmail, "password": adminPassword}, nil, &auth); err != nil || st != 200 {
		t.Fatalf("superuser login through the balancer: %d %v", st, err)
	}
	c.token = auth.Token

	t.Run("a settings change is seen on every replica", func(t *testing.T) {
		name := fmt.Sprintf("Cluster %d", time.Now().UnixNano())
		body := map[string]any{"meta": map[string]any{"appName": name}, "rateLimits": map[string]any{"enabled": false}}
		if st, err := c.do("PATCH", c.balancer()+"/api/settings", body, c.admin(), nil); err != nil || st != 200 {
			t.Fatalf("settings: %d %v", st, err)
		}
		for _, n := range c.status() {
			took, ok := eventually(5*time.Second, func() bool {
				var s struct {
					Meta       struct{ AppName string }
					RateLimits struct{ Enabled bool }
				}
				st, err := c.do("GET", n.URL+"/api/settings", nil, c.admin(), &s)
				return err == nil && st == 200 && s.Meta.AppName == name && !s.RateLimits.Enabled
			})
			if !ok {
				t.Fatalf("node %d still has the old settings after %s", n.Node, took)
			}
		}
	})

	t.Run("writes through the balancer reach every node", func(t *testing.T) {
		nodes := c.status()
		var lags []time.Duration
		for i := 0; i < 40; i++ {
			u, ok := c.register(c.balancer())
			if !ok {
				t.Fatalf("registration %d through the balancer failed", i)
			}
			for _, n := range nodes[1:] {
				lag, ok := eventually(5*time.Second, func() bool { return c.has(n.URL, u) })
				if !ok {
					t.Fatalf("%s not on node %d after %s", u.Username, n.Node, lag)
				}
				lags = append(lags, lag)
			}
		}
		slices.Sort(lags)
		figures["replication lag p50"] = percentile(lags, 0.50).Round(10 * time.Microsecond).String()
		figures["replication lag p99"] = percentile(lags, 0.99).Round(10 * time.Microsecond).String()
		figures["replication lag max"] = lags[len(lags)-1].Round(10 * time.Microsecond).String()
		figures["replication lag samples"] = strconv.Itoa(len(lags))
	})

	t.Run("a write sent to a replica is forwarded and stored", func(t *testing.T) {
		for _, n := range c.status()[1:] {
			u, ok := c.register(n.URL)
			if !ok {
				t.Fatalf("registration through replica %d failed", n.Node)
			}
			for _, m := range c.status() {
				if _, ok := eventually(5*time.Second, func() bool { return c.has(m.URL, u) }); !ok {
					t.Fatalf("%s, sent to node %d, is not on node %d", u.Username, n.Node, m.Node)
				}
			}
		}
	})

	t.Run("replicas answer reads", func(t *testing.T) {
		u, ok := c.register(c.balancer())
		if !ok {
			t.Fatal("registration failed")
		}
		for _, n := range c.status() {
			var p struct{ Username string }
			if _, ok := eventually(5*time.Second, func() bool {
				st, err := c.do("GET", n.URL+"/api/profiles/"+u.Username, nil, nil, &p)
				return err == nil && st == 200 && p.Username == u.Username
			}); !ok {
				t.Fatalf("node %d does not serve %s's profile", n.Node, u.Username)
			}
		}
	})

	t.Run("metrics name the role and the replication position", func(t *testing.T) {
		for _, n := range c.status() {
			req, _ := http.NewRequest("GET", n.URL+"/api/metrics", nil)
			req.Header.Set("Authorization", "Bearer "+metricsToken)
			res, err := c.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			text := string(body)
			for _, want := range []string{
				fmt.Sprintf(`linkbase_node_role{role=%q} 1`, n.Role),
				"linkbase_cluster_position_txid ",
				"linkbase_http_requests_total{",
			} {
				if !strings.Contains(text, want) {
					t.Fatalf("node %d metrics lack %q", n.Node, want)
				}
			}
			if strings.Contains(text, "linkbase_cluster_position_txid 0\n") {
				t.Fatalf("node %d reports no replication position", n.Node)
			}
		}
	})

	t.Run("a fresh replica starts without migration errors", func(t *testing.T) {
		// Node 3 loses its local files (auxiliary.db, LiteFS's copy): it
		// must start from the primary alone, running no migration.
		c.sh("kill", "3")
		for _, d := range []string{"pb_data", "litefs"} {
			if err := os.RemoveAll(filepath.Join(c.dir, "node3", d)); err != nil {
				t.Fatal(err)
			}
		}
		_ = os.Truncate(filepath.Join(c.dir, "node3", "app.log"), 0)
		if _, err := c.try("start", "3"); err != nil {
			t.Fatalf("start 3: %v\n%s", err, c.logTail(3, "app.log"))
		}
		if log := c.logTail(3, "app.log"); strings.Contains(log, "disk I/O error") || strings.Contains(log, "migration") {
			t.Fatalf("node 3's log:\n%s", log)
		}
		if n := c.node(3); n.Role != "replica" {
			t.Fatalf("node 3 is %s", n.Role)
		}
		u, ok := c.register(c.balancer())
		if !ok {
			t.Fatal("registration failed")
		}
		if _, ok := eventually(5*time.Second, func() bool { return c.has(c.node(3).URL, u) }); !ok {
			t.Fatal("the fresh replica does not follow the primary")
		}
	})

	t.Run("SIGKILL of the primary, then promote: no acknowledged write lost", func(t *testing.T) {
		w := c.startWriter()
		time.Sleep(time.Second)
		c.sh("kill", "1")
		killed := time.Now()
		time.Sleep(500 * time.Millisecond)
		promoted := time.Now()
		c.sh("promote", "2")
		promoteTook := time.Since(promoted)
		_, resumed := eventually(15*time.Second, func() bool { _, ok := w.firstAckAfter(promoted); return ok })
		first, _ := w.firstAckAfter(promoted)
		time.Sleep(500 * time.Millisecond)
		acked, fails := w.finish()
		if !resumed {
			t.Fatalf("no write acknowledged within 15 s of promote (%d failures)", fails)
		}
		resumedAfter := first.Sub(promoted)
		figures["failover: writes resume after promote"] = resumedAfter.Round(time.Millisecond).String()
		figures["failover: promote command"] = promoteTook.Round(time.Millisecond).String()
		figures["failover: writes refused"] = strconv.Itoa(fails)
		if resumedAfter > 10*time.Second {
			t.Errorf("writes resumed %s after promote, want within 10 s (API.md)", resumedAfter)
		}
		if n := c.node(2); n.Role != "primary" {
			t.Fatalf("node 2 is %s after promote", n.Role)
		}
		var beforeKill []user
		for _, u := range acked {
			if u.Acked.Before(killed) {
				beforeKill = append(beforeKill, u)
			}
		}
		if len(beforeKill) == 0 {
			t.Fatal("no write was acknowledged before the kill")
		}
		for _, n := range c.status() {
			if n.Role == "down" {
				continue
			}
			if lost := c.missing(n.URL, acked); len(lost) > 0 {
				t.Fatalf("node %d lacks %d of %d acknowledged writes: %v", n.Node, len(lost), len(acked), lost)
			}
		}
		// The old primary comes back as a replica of the new one.
		c.sh("start", "1")
		if n := c.node(1); n.Role != "replica" {
			t.Fatalf("node 1 came back as %s", n.Role)
		}
		if _, ok := eventually(5*time.Second, func() bool { return len(c.missing(c.node(1).URL, acked)) == 0 }); !ok {
			t.Fatalf("node 1 lacks %v", c.missing(c.node(1).URL, acked))
		}
	})

	t.Run("Litestream drill: kill the primary, wipe it, restore", func(t *testing.T) {
		w := c.startWriter()
		time.Sleep(2 * time.Second)
		primary := 0
		for _, n := range c.status() {
			if n.Role == "primary" {
				primary = n.Node
			}
		}
		c.sh("kill", strconv.Itoa(primary))
		killed := time.Now()
		acked, _ := w.finish()
		start := time.Now()
		c.sh("restore", strconv.Itoa(primary))
		figures["restore command"] = time.Since(start).Round(time.Millisecond).String()
		var due []user // acknowledged more than a second before the kill
		for _, u := range acked {
			if u.Acked.Before(killed.Add(-time.Second)) {
				due = append(due, u)
			}
		}
		if len(due) == 0 {
			t.Fatal("no write was acknowledged a second before the kill")
		}
		p := c.node(primary)
		if p.Role != "primary" {
			t.Fatalf("node %d is %s after restore", primary, p.Role)
		}
		if lost := c.missing(p.URL, due); len(lost) > 0 {
			t.Fatalf("the restore lacks %d of the %d writes acknowledged a second before the kill: %v", len(lost), len(due), lost)
		}
		kept := len(acked) - len(c.missing(p.URL, acked))
		figures["restore: writes kept (all acked)"] = fmt.Sprintf("%d of %d", kept, len(acked))
		for _, n := range c.status() {
			if n.Node == primary {
				continue
			}
			if n.Role != "replica" {
				t.Fatalf("after the restore node %d is %s", n.Node, n.Role)
			}
			if _, ok := eventually(10*time.Second, func() bool { return len(c.missing(n.URL, due)) == 0 }); !ok {
				t.Fatalf("replica %d lacks restored writes", n.Node)
			}
		}
		if _, ok := c.register(c.balancer()); !ok {
			t.Fatal("no write after the restore")
		}
	})

	stateChecks(t, c, figures)
}
