package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the app under load when the tool starts it itself: the real
// binary, built from this module, serving a fresh data folder on a free
// loopback port. It runs in its own process so that its peak RSS is its
// own, not the load generator's.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
	bin  string // to start it again on the same data and address
	data string
	addr string
}

// startServer builds the module's main package into dir, creates the
// superuser with the CLI (as an operator would), runs seed (if any) on the
// migrated data folder, and serves on 127.0.0.1.
func startServer(ctx context.Context, dir, bin, adminEmail, adminPassword string, seed func(data string) error) (*server, error) {
	if bin == "" {
		root, err := moduleRoot(ctx)
		if err != nil {
			return nil, err
		}
		bin = filepath.Join(dir, "linkbase")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building the app: %w\n%s", err, out)
		}
	}
	data := filepath.Join(dir, "pb_data")
	upsert := exec.CommandContext(ctx, bin, "superuser", "upsert", adminEmail, adminPassword, "--dir", data)
	if out, err := upsert.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("creating the superuser: %w\n%s", err, out)
	}
	if seed != nil {
		if err := seed(data); err != nil {
			return nil, err
		}
	}

	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, log: logFile, bin: bin, data: data, addr: addr}
	if err := s.start(ctx); err != nil {
		logFile.Close()
		return nil, err
	}
	return s, nil
}

// start runs the app and waits until it answers its health check.
func (s *server) start(ctx context.Context) error {
	s.cmd = exec.Command(s.bin, "serve", "--http", s.addr, "--dir", s.data)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("starting the app: %w", err)
	}
	if err := waitHealthy(ctx, s.base, 60*time.Second); err != nil {
		s.signal(syscall.SIGKILL)
		return err
	}
	return nil
}

// signal sends sig and waits for the app to exit, killing it if it has
// not within 40 s (longer than its shutdown deadline plus one attempt of
// SQLite's busy timeout); it returns how long the exit took.
func (s *server) signal(sig syscall.Signal) time.Duration {
	began := time.Now()
	_ = s.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	return time.Since(began)
}

// stop asks the app to shut down (so buffered counters are flushed, as on
// a deploy).
func (s *server) stop() {
	s.signal(syscall.SIGTERM)
	s.log.Close()
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the tool inside the linkbase module (go env GOMOD: %q, %v)", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitHealthy(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/health", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not become healthy within %s", base, limit)
}

// resetPeakRSS starts a new peak-RSS window for pid (writing 5 to
// clear_refs resets VmHWM, Linux 4.0+), so each scenario reports its own
// peak; false when the kernel or permissions do not allow it.
func resetPeakRSS(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// peakRSS reads VmHWM, the process's peak resident set size, in bytes.
func peakRSS(pid int) (int64, error) { return procStatusBytes(pid, "VmHWM:") }

// currentRSS reads VmRSS, the process's resident set size now, in bytes.
func currentRSS(pid int) (int64, error) { return procStatusBytes(pid, "VmRSS:") }

// procStatusBytes reads a size in kB from /proc/<pid>/status, in bytes.
func procStatusBytes(pid int, key string) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte(key)); ok {
			fields := strings.Fields(string(rest))
			if len(fields) != 2 || fields[1] != "kB" {
				break
			}
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no " + key + " in /proc/" + strconv.Itoa(pid) + "/status")
}
