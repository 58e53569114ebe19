// Package e2e runs the browser tests of tests/*.test.js (node's test
// runner driving Debian's chromium through playwright-core) from `go test`,
// so the README's one test command covers the pages too. Without chromium
// or e2e/node_modules the test skips with what to install, except in CI
// (CI=true), where .ci/run installs both and a skip would hide a gap.
package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// skipped is why TestBrowser did not run, or "".
var skipped string

func TestMain(m *testing.M) {
	code := m.Run()
	if skipped != "" {
		reportSkip(skipped)
	}
	os.Exit(code)
}

// reportSkip makes a skip visible without -v. go test shows nothing of a
// passing package but its "ok" line (a test's own output, stderr
// included, is dropped), so two things: the line gets go test's own
// "[no tests to run]" mark, which .ci/run checks for and which a cached
// result keeps; and the reason goes straight to the terminal, when there
// is one.
func reportSkip(reason string) {
	line := "linkbase/e2e: the browser tests did not run: " + reason
	out := os.Stderr // shown with -v, or when the package fails
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			out = tty
		}
	}
	fmt.Fprintln(out, line)
	// The warning testing prints itself when no test matches -run.
	fmt.Println("\ntesting: warning: no tests to run")
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		skipped = "skipped with -short"
		t.Skip("browser tests build the binary and start chromium; skipped with -short")
	}
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	var missing []string
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, "chromium (apt-get install chromium)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "playwright-core")); err != nil {
		missing = append(missing, "playwright-core (cd e2e && npm ci)")
	}
	if len(missing) > 0 {
		msg := "browser tests need: " + strings.Join(missing, ", ")
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		skipped = msg
		t.Skip(msg)
	}

	if err := statInputs(".."); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "linkbase")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	node := exec.Command("node", "--test", "--test-concurrency=1", "--test-reporter=spec", "tests/")
	node.Env = append(os.Environ(), "LINKBASE_E2E_BINARY="+bin, "CHROMIUM_PATH="+chromium)
	node.Stdout, node.Stderr = os.Stdout, os.Stderr
	if err := node.Run(); err != nil {
		t.Fatalf("browser tests failed (screenshots in e2e/artifacts/): %v", err)
	}
}

// statInputs stats every source file of the repo. go test caches a passing
// result keyed on the files the test itself touched; the binary, the pages
// and the JS tests are read by subprocesses, so without this a change to
// them would replay a stale "ok".
func statInputs(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "artifacts", "pb_data", "screenshots":
				return filepath.SkipDir
			}
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		return f.Close()
	})
}
