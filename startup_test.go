package main

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/cmd"
	"github.com/spf13/cobra"

	"linkbase/testutil"
)

// terminal is what a started binary writes to stdout and stderr, as one
// screen.
type terminal struct{ testutil.Output }

// waitFor waits until the screen shows want, and returns the screen.
func (s *terminal) waitFor(t *testing.T, want string) string {
	t.Helper()
	for range 300 {
		if screen := s.String(); strings.Contains(screen, want) {
			return screen
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q:\n%s", want, s)
	return ""
}

// startBinary starts bin with args and env added to the environment, stopped when
// the test ends.
func startBinary(t *testing.T, bin string, env []string, args ...string) *terminal {
	t.Helper()
	screen := &terminal{}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = screen, screen
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return screen
}

// sqlLine is how PocketBase's dev mode logs a statement: "[0.52ms] SELECT …".
var sqlLine = regexp.MustCompile(`(?m)^\[\d+(\.\d+)?m?s\] `)

// TestFirstScreen starts the binary on a fresh data folder, as the
// README's first command does, and reads the terminal: where the pages,
// the dashboard, the superuser set-up link and the mail outbox are; no SQL
// or debug lines; no browser opened; the proxy warning at the first
// request from this machine. An explicit --dev brings the SQL back.
func TestFirstScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := builtBinary(t)
	dir := t.TempDir()
	// PocketBase's installer opens its link with xdg-open: a stand-in on
	// the PATH leaves a mark if it is ever called.
	fakes, opened := filepath.Join(dir, "bin"), filepath.Join(dir, "browser-opened")
	if err := os.Mkdir(fakes, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fakes, "xdg-open"), []byte("#!/bin/sh\necho \"$@\" > '"+opened+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + fakes + string(os.PathListSeparator) + os.Getenv("PATH")}
	data := filepath.Join(dir, "pb_data")
	addr := freeAddr(t)
	base := "http://" + addr

	term := startBinary(t, bin, env, "serve", "--http", addr, "--dir", data)
	waitHealthy(t, base)
	screen := term.waitFor(t, "/_/#/pbinstall/") // printed once the banner is

	for _, want := range []string{
		"Linkbase is running at " + base,
		"Pages:", base + "/",
		"Dashboard:", base + "/_/",
		"App URL:", "http://localhost:8090",
		"Mail:", filepath.Join(data, "outbox") + string(filepath.Separator),
		"No superuser yet",
		"superuser upsert EMAIL PASSWORD",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the first screen does not show %q:\n%s", want, screen)
		}
	}
	if sqlLine.MatchString(screen) || strings.Contains(screen, "DEBUG") {
		t.Errorf("SQL or debug lines on the first screen:\n%s", screen)
	}
	if strings.Index(screen, "Linkbase is running") > strings.Index(screen, "No superuser yet") {
		t.Errorf("the set-up link came before the banner:\n%s", screen)
	}

	// The set-up link is PocketBase's: a superuser token for its installer.
	token := regexp.MustCompile(`/_/#/pbinstall/(\S+)`).FindStringSubmatch(screen)[1]
	res := do(t, http.DefaultClient, "GET", base+"/api/collections/_superusers/records", "", map[string]string{"Authorization": token})
	if res.StatusCode != http.StatusOK {
		t.Errorf("the set-up link's token: %d, want 200", res.StatusCode)
	}

	do(t, http.DefaultClient, "GET", base+"/", "", nil)
	screen = term.waitFor(t, "(!) Requests arrive from 127.0.0.1")
	if !strings.Contains(screen, "IP proxy headers") || !strings.Contains(screen, "LINKBASE_LOCAL_TRIAL=1") {
		t.Errorf("the proxy warning does not name the setting and the local trial:\n%s", screen)
	}
	if _, err := os.Stat(opened); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a browser was opened (%v)", err)
	}

	// Without SMTP, a sign-up's verification mail shows as one line with
	// its link, which verifies the address when followed; the outbox's
	// .eml holds the same link whole on one line.
	res = do(t, http.DefaultClient, "POST", base+"/api/register", `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", res.StatusCode)
	}
	screen = term.waitFor(t, "Mail to bob@example.com")
	line := regexp.MustCompile(`(?m)^.* Mail to bob@example.com: "Verify your Linkbase email address" (\S+)$`).FindStringSubmatch(screen)
	if line == nil {
		t.Fatalf("no one-line mail with its link on the terminal:\n%s", screen)
	}
	link, err := url.Parse(line[1])
	if err != nil || link.Path != "/verify-email" || link.Query().Get("token") == "" {
		t.Fatalf("the terminal's link %q (%v)", line[1], err)
	}
	verify := do(t, http.DefaultClient, "POST", base+"/api/verify-email", `{"token":"`+link.Query().Get("token")+`"}`, nil)
	if verify.StatusCode != http.StatusOK && verify.StatusCode != http.StatusNoContent {
		t.Errorf("following the terminal's link: %d", verify.StatusCode)
	}
	emls, _ := filepath.Glob(filepath.Join(data, "outbox", "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("%d files in the outbox, want 1", len(emls))
	}
	eml, err := os.ReadFile(emls[0])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(eml), "\r\n"), line[1]) {
		t.Errorf("no line of the .eml is the link %s:\n%s", line[1], eml)
	}

	// An explicit --dev keeps PocketBase's SQL log.
	devAddr := freeAddr(t)
	dev := startBinary(t, bin, env, "serve", "--dev", "--http", devAddr, "--dir", filepath.Join(dir, "pb_data_dev"))
	waitHealthy(t, "http://"+devAddr)
	if !sqlLine.MatchString(dev.String()) {
		t.Errorf("--dev printed no SQL:\n%s", dev)
	}
}

// TestHealthcheckCommand runs `linkbase healthcheck` as Docker's
// HEALTHCHECK does: 0 against a healthy server, 1 against none, and it
// never touches a data folder (it runs from an empty one).
func TestHealthcheckCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := builtBinary(t)
	addr := freeAddr(t)
	startBinary(t, bin, nil, "serve", "--http", addr, "--dir", filepath.Join(t.TempDir(), "pb_data"))
	waitHealthy(t, "http://"+addr)
	port := addr[strings.LastIndexByte(addr, ':'):]

	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"healthcheck", "--http", addr}, 0},
		{[]string{"healthcheck", "--http", "0.0.0.0" + port, "--timeout", "5s"}, 0},
		{[]string{"healthcheck", "--http", freeAddr(t)}, 1},
		{[]string{"healthcheck", "--http", "no-port"}, 1},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cwd := t.TempDir()
			cmd := exec.Command(bin, c.args...)
			cmd.Dir = cwd
			out, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Fatalf("exit code %d (%v), want %d:\n%s", code, err, c.code, out)
			}
			if c.code != 0 && !strings.Contains(string(out), "healthcheck") && !strings.Contains(string(out), "--http") {
				t.Errorf("no reason given:\n%s", out)
			}
			if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
				t.Errorf("the health check created %v", entries)
			}
		})
	}
}

// TestServeURL reads serve's flags as PocketBase's own serve command
// defines them.
func TestServeURL(t *testing.T) {
	for _, c := range []struct {
		args       []string
		addr, want string
	}{
		{nil, "127.0.0.1:8090", "http://127.0.0.1:8090"},
		{nil, "0.0.0.0:8090", "http://127.0.0.1:8090"},
		{nil, "[::]:8090", "http://[::1]:8090"},
		{nil, "10.0.0.5:8090", "http://10.0.0.5:8090"},
		{[]string{"--https", "0.0.0.0:8443"}, "0.0.0.0:8443", "https://127.0.0.1:8443"},
		{[]string{"links.example.com"}, "0.0.0.0:443", "https://links.example.com"},
	} {
		root := &cobra.Command{Use: "linkbase"}
		serve := cmd.NewServeCommand(nil, false)
		root.AddCommand(serve)
		if err := serve.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		if got := serveURL(root, c.addr); got != c.want {
			t.Errorf("serve %v on %s: %q, want %q", c.args, c.addr, got, c.want)
		}
	}
}
