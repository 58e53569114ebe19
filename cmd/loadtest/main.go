// Command loadtest measures Linkbase under concurrent load, each of its
// endpoints against PocketBase's built-in endpoint doing the same work, in
// the same run against the same binary, and prints throughput, latency
// percentiles, errors, the ratios and the server's peak RSS.
//
//	go run ./cmd/loadtest -duration 10s -concurrency 16
//
// Without -target it builds the app, serves it on a free 127.0.0.1 port
// with a fresh data folder, and stops it afterwards. Traffic goes only to
// the loopback interface.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config holds the flags.
type config struct {
	duration      time.Duration
	concurrency   int
	users         int
	spike         int
	scenarios     string
	target        string
	pid           int
	bin           string
	adminEmail    string
	adminPassword string
	keep          bool
	seedReferrals int // a large history for the history scenario, written before the server starts
	seedVisits    int
	soak          time.Duration // the soak scenarios' load time
	soakEvery     time.Duration // how often a soak samples the server's memory
}

func main() {
	c := config{}
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "load time per endpoint (split in two halves, ours and the baseline alternating A B B A)")
	flag.IntVar(&c.concurrency, "concurrency", 16, "concurrent clients per endpoint")
	flag.IntVar(&c.users, "users", 20, "accounts to seed (clients share them round robin)")
	flag.IntVar(&c.spike, "spike", 500, "concurrent registrations in the spike scenario")
	flag.StringVar(&c.scenarios, "scenarios", "", "comma-separated scenario names (default: all): "+scenarioNames())
	flag.StringVar(&c.target, "target", "", "URL of a running server on the loopback (default: build and start one)")
	flag.IntVar(&c.pid, "pid", 0, "with -target: the server's process id, for its peak RSS")
	flag.StringVar(&c.bin, "bin", "", "a prebuilt app binary to start instead of building one")
	flag.StringVar(&c.adminEmail, "admin-email", os.Getenv("LOADTEST_ADMIN_EMAIL"), "with -target: a superuser's email (or $LOADTEST_ADMIN_EMAIL)")
	flag.StringVar(&c.adminPassword, "admin-password", os.Getenv("LOADTEST_ADMIN_PASSWORD"), "with -target: its password (or $LOADTEST_ADMIN_PASSWORD)")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary data folder and server log")
	flag.IntVar(&c.seedReferrals, "seed-referrals", 0, "referrals of the history scenario's large referrer, written straight into SQLite (e.g. 100000)")
	flag.IntVar(&c.seedVisits, "seed-visits", 0, "visits of the history scenario's large referrer (e.g. 1000000)")
	flag.DurationVar(&c.soak, "soak", 60*time.Second, "load time of each soak scenario (clicks, profile views at full speed)")
	flag.DurationVar(&c.soakEvery, "soak-every", 5*time.Second, "how often a soak samples the server's RSS and Go heap")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	failed, err := run(ctx, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func (c *config) validate() error {
	switch {
	case c.duration < 100*time.Millisecond || c.duration > 10*time.Minute:
		return errors.New("-duration must be between 100ms and 10m")
	case c.concurrency < 1 || c.concurrency > 1000:
		return errors.New("-concurrency must be between 1 and 1000")
	case c.users < 1 || c.users > 1000:
		return errors.New("-users must be between 1 and 1000")
	case c.spike < 1 || c.spike > 2000:
		return errors.New("-spike must be between 1 and 2000")
	case c.seedReferrals < 0 || c.seedReferrals > 1_000_000 || c.seedVisits < 0 || c.seedVisits > 10_000_000:
		return errors.New("-seed-referrals must be between 0 and 1000000, -seed-visits between 0 and 10000000")
	case (c.seedReferrals > 0) != (c.seedVisits > 0):
		return errors.New("-seed-referrals and -seed-visits go together")
	case c.seedReferrals > 0 && c.target != "":
		return errors.New("-seed-referrals writes into the data folder before the server starts: not with -target")
	case c.soak < time.Second || c.soak > 10*time.Minute:
		return errors.New("-soak must be between 1s and 10m")
	case c.soakEvery < 100*time.Millisecond || c.soakEvery > c.soak:
		return errors.New("-soak-every must be between 100ms and -soak")
	}
	return nil
}

// run sets the server up, runs the chosen scenarios and prints the
// report; failed is true when any request failed.
func run(ctx context.Context, c config) (failed bool, err error) {
	return runTo(ctx, c, os.Stdout)
}

// runTo is run writing the report to w.
func runTo(ctx context.Context, c config, w io.Writer) (failed bool, err error) {
	if err := c.validate(); err != nil {
		return false, err
	}
	chosen, err := pickScenarios(c.scenarios)
	if err != nil {
		return false, err
	}

	e := &env{runID: strings.ToLower(rand.Text()[:6]), client: newClient(max(c.concurrency, c.spike))}
	if c.target == "" {
		dir, err := os.MkdirTemp("", "linkbase_loadtest_")
		if err != nil {
			return false, err
		}
		if c.keep {
			fmt.Fprintln(os.Stderr, "data folder and server log kept in", dir)
		} else {
			defer os.RemoveAll(dir)
		}
		c.adminEmail, c.adminPassword = "loadtest@example.com", rand.Text()
		fmt.Fprintln(os.Stderr, "building and starting the app…")
		var seed func(data string) error
		if c.seedReferrals > 0 {
			seed = func(data string) error {
				fmt.Fprintf(os.Stderr, "seeding a history of %d referrals and %d visits…\n", c.seedReferrals, c.seedVisits)
				began := time.Now()
				var err error
				e.history, err = seedHistory(data, c.seedReferrals, c.seedVisits, time.Now())
				fmt.Fprintf(os.Stderr, "seeded in %.1f s\n", time.Since(began).Seconds())
				return err
			}
		}
		srv, err := startServer(ctx, dir, c.bin, c.adminEmail, c.adminPassword, seed)
		if err != nil {
			return false, err
		}
		defer func() { srv.stop() }()
		e.srv = srv
		e.base, c.pid = srv.base, srv.cmd.Process.Pid
	} else {
		if err := checkLoopback(c.target); err != nil {
			return false, err
		}
		if c.adminEmail == "" || c.adminPassword == "" {
			return false, errors.New("-target needs a superuser: -admin-email and -admin-password")
		}
		e.base = strings.TrimRight(c.target, "/")
	}

	if err := e.loginAdmin(ctx, c.adminEmail, c.adminPassword); err != nil {
		return false, fmt.Errorf("superuser login: %w", err)
	}
	restore, err := e.relaxRateLimits(ctx)
	if err != nil {
		return false, fmt.Errorf("relaxing the rate limits: %w", err)
	}
	defer func() {
		if err := restore(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintln(os.Stderr, "restoring the rate limits:", err)
		}
	}()
	fmt.Fprintf(os.Stderr, "seeding %d accounts…\n", c.users)
	if err := e.seedUsers(ctx, c.users); err != nil {
		return false, err
	}

	rep := newReport(c)
	for _, s := range chosen {
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		fmt.Fprintf(os.Stderr, "scenario %s…\n", s.name)
		if s.setup != nil {
			if err := s.setup(ctx, e); err != nil {
				return true, fmt.Errorf("%s: setup: %w", s.name, err)
			}
		}
		if e.srv != nil {
			c.pid = e.srv.cmd.Process.Pid // the crash scenario restarts it
		}
		if s.run != nil {
			r, err := s.run(ctx, e, c)
			if err != nil {
				return true, fmt.Errorf("%s: %w", s.name, err)
			}
			rep.add(s, r)
			continue
		}
		rep.add(s, runPair(ctx, e, s, c))
	}
	rep.print(w)
	return rep.failed(), nil
}

// runPair loads ours and the baseline in the order A B B A, half the
// duration each time, so a drift in the machine's load hits both alike.
func runPair(ctx context.Context, e *env, s scenario, c config) report {
	ours, base := result{label: s.ours.label}, result{label: s.base.label}
	for _, isOurs := range []bool{true, false, false, true} {
		ep, into := s.base, &base
		if isOurs {
			ep, into = s.ours, &ours
		}
		resetPeakRSS(c.pid)
		r := runLoad(ctx, e, ep, c.concurrency, c.duration/2)
		r.peakRSS, _ = peakRSS(c.pid)
		into.merge(r)
	}
	ours.finish()
	base.finish()
	return report{results: []result{ours, base}, ratio: ours.throughput() / base.throughput()}
}
