//go:build cluster

package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// cluster drives deploy/local-cluster.sh and talks to the nodes over HTTP.
type cluster struct {
	t      *testing.T
	dir    string
	port   int
	nodes  int
	script string
	env    []string
	token  string // a superuser's
	client *http.Client
}

// node is one object of `local-cluster.sh status`.
type node struct {
	Node     int    `json:"node"`
	Role     string `json:"role"`
	URL      string `json:"url"`
	PID      *int   `json:"pid"`
	Position string `json:"position"`
}

// sh runs a subcommand of the script and returns its standard output.
func (c *cluster) sh(args ...string) string {
	c.t.Helper()
	out, err := c.try(args...)
	if err != nil {
		c.t.Fatalf("local-cluster.sh %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func (c *cluster) try(args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{c.script}, args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%w\n%s", err, stderr.String())
	}
	return stdout.String(), err
}

func (c *cluster) status() []node {
	c.t.Helper()
	var nodes []node
	if err := json.Unmarshal([]byte(c.sh("status")), &nodes); err != nil {
		c.t.Fatalf("status is not JSON: %v", err)
	}
	return nodes
}

func (c *cluster) node(n int) node {
	c.t.Helper()
	for _, x := range c.status() {
		if x.Node == n {
			return x
		}
	}
	c.t.Fatalf("no node %d in status", n)
	return node{}
}

func (c *cluster) balancer() string { return fmt.Sprintf("http://127.0.0.1:%d", c.port) }

// do sends a JSON request and decodes a JSON answer into out (if not nil).
func (c *cluster) do(method, url string, body any, headers map[string]string, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, url, res.StatusCode, b)
		}
	}
	return res.StatusCode, nil
}

func (c *cluster) admin() map[string]string { return map[string]string{"Authorization": c.token} }

// user is an account the test registered and saw acknowledged.
type user struct {
	ID, Username string
	Acked        time.Time
}

var seq struct {
	sync.Mutex
	n int
}

// register signs a new account up through base; ok is false for anything
// but 201 (the account may or may not exist then).
func (c *cluster) register(base string) (user, bool) {
	seq.Lock()
	seq.n++
	name := fmt.Sprintf("c%dx%d", time.Now().UnixNano()%1e9, seq.n)
	seq.Unlock()
	var res struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	st, err := c.do("POST", base+"/api/register", map[string]string{
		"email": name + "@example.com", "username": name, "password": "quiet-river-5512",
	}, nil, &res)
	if err != nil || st != http.StatusCreated {
		return user{}, false
	}
	return user{ID: res.User.ID, Username: name, Acked: time.Now()}, true
}

// has reports whether the node at base holds the user (no cache on this
// path: PocketBase's record API reads SQLite).
func (c *cluster) has(base string, u user) bool {
	st, err := c.do("GET", base+"/api/collections/users/records/"+u.ID, nil, c.admin(), nil)
	return err == nil && st == http.StatusOK
}

// missing lists the users the node at base lacks.
func (c *cluster) missing(base string, users []user) []string {
	var out []string
	for _, u := range users {
		if !c.has(base, u) {
			out = append(out, u.Username)
		}
	}
	return out
}

// writer registers accounts through the balancer one after the other until
// stopped, keeping those acknowledged; failures (during a failover) are
// retried with a new name, since a write in flight may or may not land.
type writer struct {
	c     *cluster
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	acked []user
	fails int
}

func (c *cluster) startWriter() *writer {
	w := &writer{c: c, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			select {
			case <-w.stop:
				return
			default:
			}
			u, ok := c.register(c.balancer())
			w.mu.Lock()
			if ok {
				w.acked = append(w.acked, u)
			} else {
				w.fails++
			}
			w.mu.Unlock()
			if !ok {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	return w
}

func (w *writer) finish() ([]user, int) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.acked), w.fails
}

// firstAckAfter is when the first write acknowledged after t was.
func (w *writer) firstAckAfter(t time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, u := range w.acked {
		if u.Acked.After(t) {
			return u.Acked, true
		}
	}
	return time.Time{}, false
}

// eventually polls cond every millisecond for up to limit; it returns how
// long cond took to hold, or false.
func eventually(limit time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < limit {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start), cond()
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// repoRoot is the repository holding this file.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// logTail is the end of a node's log, for failure messages.
func (c *cluster) logTail(n int, name string) string {
	b, _ := os.ReadFile(filepath.Join(c.dir, fmt.Sprintf("node%d", n), name))
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}
