//go:build cluster

package deploy

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// stateChecks are API.md's cluster promises about the state nodes keep:
// cached answers, counts, logins, sign-ups and the back-off.
func stateChecks(t *testing.T, c *cluster, figures map[string]string) {
	t.Run("a cached answer changes on every node within 1 s", func(t *testing.T) {
		u, token := c.registered(t)
		nodes := c.status()
		for _, n := range nodes { // warm every node's cache
			if st, _ := c.do("GET", n.URL+"/api/profiles/"+u.Username, nil, nil, nil); st != 200 {
				t.Fatalf("node %d: profile %d", n.Node, st)
			}
		}
		name := fmt.Sprintf("Renamed %d", time.Now().UnixNano())
		if st, err := c.do("PATCH", c.balancer()+"/api/collections/users/records/"+u.ID,
			map[string]string{"display_name": name}, map[string]string{"Authorization": token}, nil); err != nil || st != 200 {
			t.Fatalf("rename: %d %v", st, err)
		}
		var slowest time.Duration
		for _, n := range nodes {
			took, ok := eventually(time.Second, func() bool {
				var p struct {
					DisplayName string `json:"display_name"`
				}
				st, err := c.do("GET", n.URL+"/api/profiles/"+u.Username, nil, nil, &p)
				return err == nil && st == 200 && p.DisplayName == name
			})
			if !ok {
				t.Errorf("node %d still serves the old profile after %s", n.Node, took)
			}
			slowest = max(slowest, took)
		}
		figures["cached profile renamed everywhere"] = slowest.Round(100 * time.Microsecond).String()
	})

	t.Run("clicks made on every node are counted", func(t *testing.T) {
		u, token := c.registered(t)
		var link struct{ ID string }
		if st, err := c.do("POST", c.balancer()+"/api/collections/links/records",
			map[string]any{"owner": u.ID, "title": "Home", "url": "https://example.com", "enabled": true},
			map[string]string{"Authorization": token}, &link); err != nil || st != 200 {
			t.Fatalf("link: %d %v", st, err)
		}
		nodes := c.status()
		for _, n := range nodes {
			// A person's browser: Go's own user agent is on the crawler
			// list, whose clicks are not counted.
			browser := map[string]string{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"}
			if st, _ := c.do("GET", n.URL+"/l/"+link.ID, nil, browser, nil); st != http.StatusFound {
				t.Fatalf("node %d: click %d", n.Node, st)
			}
		}
		if _, ok := eventually(5*time.Second, func() bool {
			var a struct{ Clicks int }
			st, err := c.do("GET", c.balancer()+"/api/analytics?days=1", nil, map[string]string{"Authorization": token}, &a)
			return err == nil && st == 200 && a.Clicks == len(nodes)
		}); !ok {
			t.Fatalf("the clicks of %d nodes are not all counted", len(nodes))
		}
	})

	t.Run("a sign-up on a replica is hashed there and inserted by the primary", func(t *testing.T) {
		var replica node
		for _, n := range c.status() {
			if n.Role == "replica" {
				replica = n
			}
		}
		before := c.forwarded(t, replica.URL)
		u, ok := c.register(replica.URL)
		if !ok {
			t.Fatal("a sign-up on a replica failed")
		}
		if after := c.forwarded(t, replica.URL); after == before {
			t.Fatal("the replica did not send the insert to the primary")
		}
		// Once replicated (milliseconds), the replica's hash logs in.
		if _, ok := eventually(2*time.Second, func() bool {
			st, err := c.do("POST", replica.URL+"/api/login", map[string]string{"identity": u.Username, "password": "quiet-river-5512"}, nil, nil)
			return err == nil && st == 200
		}); !ok {
			t.Fatal("the account signed up on a replica does not log in")
		}
	})

	t.Run("a login on a replica runs there", func(t *testing.T) {
		u, _ := c.registered(t)
		var replica node
		for _, n := range c.status() {
			if n.Role == "replica" {
				replica = n
			}
		}
		before := c.forwarded(t, replica.URL)
		var res struct{ Token string }
		st, err := c.do("POST", replica.URL+"/api/login", map[string]string{"identity": u.Username, "password": "quiet-river-5512"}, nil, &res)
		if err != nil || st != 200 || res.Token == "" {
			t.Fatalf("login on a replica: %d %v", st, err)
		}
		if after := c.forwarded(t, replica.URL); after != before {
			t.Fatalf("the replica forwarded the login (%s -> %s)", before, after)
		}
	})

	t.Run("the login back-off holds across nodes", func(t *testing.T) {
		u, _ := c.registered(t)
		nodes := c.status()
		for i := 0; i < 10; i++ {
			n := nodes[i%len(nodes)]
			st, _ := c.do("POST", n.URL+"/api/login", map[string]string{"identity": u.Username, "password": "wrong-password-123"}, nil, nil)
			if st != http.StatusUnauthorized {
				t.Fatalf("failure %d on node %d: %d", i, n.Node, st)
			}
		}
		for _, n := range nodes {
			st, _ := c.do("POST", n.URL+"/api/login", map[string]string{"identity": u.Username, "password": "quiet-river-5512"}, nil, nil)
			if st != http.StatusTooManyRequests {
				t.Errorf("node %d answered %d after 10 failures spread over the nodes, want 429", n.Node, st)
			}
		}
	})
}

// registered signs a new account up and logs it in, returning its token.
func (c *cluster) registered(t *testing.T) (user, string) {
	t.Helper()
	u, ok := c.register(c.balancer())
	if !ok {
		t.Fatal("registration failed")
	}
	var res struct{ Token string }
	st, err := c.do("POST", c.balancer()+"/api/login", map[string]string{"identity": u.Username, "password": "quiet-river-5512"}, nil, &res)
	if err != nil || st != 200 {
		t.Fatalf("login: %d %v", st, err)
	}
	return u, res.Token
}

// forwarded is the replica's count of requests it forwarded to the primary.
func (c *cluster) forwarded(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, `linkbase_cluster_forwarded_requests_total{outcome="forwarded"}`) {
			return strings.Fields(line)[1]
		}
	}
	return "0"
}
