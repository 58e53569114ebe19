package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// newHealthcheckCommand is `linkbase healthcheck`: GET /api/health of the
// server on this machine, exit 0 when it answers healthy and 1 otherwise.
// The container image has no curl (distroless), so Docker's HEALTHCHECK
// runs this. It opens no data folder (see start).
func newHealthcheckCommand() *cobra.Command {
	var addr string
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "healthcheck",
		Short: "Checks GET /api/health of the local server (exit 0 healthy, 1 otherwise)",
		Args:  cobra.NoArgs,
		// The error is printed once, by main, with the exit code 1.
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations:   map[string]string{standalone: "yes"},
		RunE: func(c *cobra.Command, _ []string) error {
			url, err := healthURL(addr)
			if err != nil {
				return err
			}
			return checkHealth(c.Context(), url, timeout)
		},
	}
	c.Flags().StringVar(&addr, "http", "127.0.0.1:8090", "the address serve listens on (an unspecified host such as 0.0.0.0 means this machine)")
	c.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	return c
}

// healthURL is the health endpoint of the server listening on addr, as
// given to serve --http: a wildcard or empty host is reached on loopback.
func healthURL(addr string) (string, error) {
	local, err := localAddr(addr)
	if err != nil {
		return "", fmt.Errorf("--http %q: want host:port: %w", addr, err)
	}
	return "http://" + local + "/api/health", nil
}

// checkHealth succeeds when url answers 200 with PocketBase's health body
// ({"code":200,...}) within timeout.
func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: %s", url, res.Status)
	}
	var body struct {
		Code int `json:"code"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&body); err != nil {
		return fmt.Errorf("healthcheck: GET %s: not a health answer: %w", url, err)
	}
	if body.Code != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: answered code %d", url, body.Code)
	}
	return nil
}
