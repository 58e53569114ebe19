// Package cluster runs Linkbase as one node of a LiteFS cluster: one
// primary that writes, read replicas that follow it. A node learns its role
// from LiteFS, opens PocketBase's data.db on the LiteFS mount, runs
// migrations and cron jobs only while it is the primary, reloads
// PocketBase's settings and collections when a replicated transaction
// changes them, tells subscribers about every replicated transaction, and
// forwards the writes it receives as a replica to the primary.
//
// Clustering is off unless LINKBASE_LITEFS_DIR is set; then nothing here
// changes a single node.
package cluster

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// The environment that turns clustering on and configures it.
const (
	// MountEnv is LiteFS's FUSE mount; setting it turns clustering on.
	MountEnv = "LINKBASE_LITEFS_DIR"
	// APIEnv is the local LiteFS node's HTTP API (default DefaultAPI).
	APIEnv = "LINKBASE_LITEFS_API"
	// SecretEnv is the secret the nodes share to sign the requests they
	// forward to each other (at least 16 bytes).
	SecretEnv = "LINKBASE_CLUSTER_SECRET"
	// WaitEnv bounds how long a starting node waits for LiteFS to know the
	// primary and, on a replica, to hold a copy of data.db (default 60s).
	WaitEnv = "LINKBASE_LITEFS_WAIT"
)

// DefaultAPI is LiteFS's default HTTP API address.
const DefaultAPI = "http://127.0.0.1:20202"

// dataDBName is PocketBase's data database; it alone lives on the mount
// (auxiliary.db, storage and the outbox stay in the local pb_data).
const dataDBName = "data.db"

// minSecretLen keeps the forwarding signature out of a guesser's reach.
const minSecretLen = 16

// Config is a node's cluster configuration.
type Config struct {
	Mount  string        // LiteFS mount directory
	API    string        // LiteFS HTTP API base URL
	Secret []byte        // shared by every node, signs forwarded requests
	Wait   time.Duration // how long start-up waits for LiteFS
}

// ErrOff means the environment does not turn clustering on.
var ErrOff = errors.New("cluster: " + MountEnv + " is not set")

// ConfigFromEnv reads the node's configuration; ErrOff when clustering is
// off, another error when it is on but misconfigured.
func ConfigFromEnv() (Config, error) {
	return configFrom(os.Getenv)
}

func configFrom(getenv func(string) string) (Config, error) {
	cfg := Config{
		Mount:  strings.TrimSpace(getenv(MountEnv)),
		API:    strings.TrimRight(strings.TrimSpace(getenv(APIEnv)), "/"),
		Secret: []byte(getenv(SecretEnv)),
		Wait:   60 * time.Second,
	}
	if cfg.Mount == "" {
		return cfg, ErrOff
	}
	if cfg.API == "" {
		cfg.API = DefaultAPI
	}
	if u, err := url.Parse(cfg.API); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("cluster: %s=%q: want an http(s) URL", APIEnv, cfg.API)
	}
	if len(cfg.Secret) < minSecretLen {
		return cfg, fmt.Errorf("cluster: %s must hold at least %d bytes, shared by every node", SecretEnv, minSecretLen)
	}
	if v := getenv(WaitEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("cluster: %s=%q: want a positive duration such as 60s", WaitEnv, v)
		}
		cfg.Wait = d
	}
	return cfg, nil
}

// primaryURL turns LiteFS's name for the primary (its lease hostname, also
// the content of the mount's .primary file) into the base URL of the
// primary's Linkbase: the deploy sets each node's hostname to its Linkbase
// address, "host:port" or a full URL.
func primaryURL(hostname string) (*url.URL, error) {
	h := strings.TrimSpace(hostname)
	if h == "" {
		return nil, errors.New("cluster: no primary is known")
	}
	if !strings.Contains(h, "://") {
		h = "http://" + h
	}
	u, err := url.Parse(h)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("cluster: primary %q is not a host:port or http(s) URL", hostname)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
