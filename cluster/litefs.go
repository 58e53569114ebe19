package cluster

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// litefsInfo is the part of LiteFS's GET /info a node needs.
type litefsInfo struct {
	IsPrimary bool `json:"isPrimary"`
	Primary   struct {
		Hostname string `json:"hostname"`
	} `json:"primary"`
}

// litefsEvent is one line of LiteFS's GET /events stream: "init" (first,
// with the role), "primaryChange", and "tx" once per applied transaction.
type litefsEvent struct {
	Type string          `json:"type"`
	DB   string          `json:"db"`
	Data json.RawMessage `json:"data"`
}

// roleData is the data of "init" and "primaryChange" events.
type roleData struct {
	IsPrimary bool   `json:"isPrimary"`
	Hostname  string `json:"hostname"`
}

// txData is the data of a "tx" event.
type txData struct {
	TXID      string    `json:"txID"`
	Timestamp time.Time `json:"timestamp"`
}

// litefsClient talks to the local LiteFS node's HTTP API.
type litefsClient struct {
	base string
	http *http.Client
}

func newLiteFSClient(base string) *litefsClient {
	return &litefsClient{base: base, http: &http.Client{}}
}

// info reads GET /info, bounded by a short timeout: LiteFS is on the same
// machine.
func (c *litefsClient) info(ctx context.Context) (litefsInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var info litefsInfo
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/info", nil)
	if err != nil {
		return info, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return info, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return info, fmt.Errorf("litefs /info: %s", res.Status)
	}
	err = json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&info)
	return info, err
}

// events streams GET /events into handle until ctx ends, the stream breaks
// or handle fails. LiteFS closes the stream of a reader that falls behind,
// so handle must be quick.
func (c *litefsClient) events(ctx context.Context, handle func(litefsEvent) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/events", nil)
	if err != nil {
		return err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("litefs /events: %s", res.Status)
	}
	scanner := bufio.NewScanner(res.Body)
	scanner.Buffer(make([]byte, 0, 4096), 1<<20)
	for scanner.Scan() {
		var ev litefsEvent
		if err := json.Unmarshal(scanner.Bytes(), &ev); err != nil {
			return fmt.Errorf("litefs /events: %w", err)
		}
		if err := handle(ev); err != nil {
			return err
		}
	}
	if err := scanner.Err(); err != nil {
		return err
	}
	return errors.New("litefs /events: stream closed")
}

// readPosition reads the mount's "<db>-pos" file, "TXID/checksum" in hex,
// and returns the TXID: how far this node's copy of the database has come.
func readPosition(mount string) (uint64, error) {
	b, err := os.ReadFile(filepath.Join(mount, dataDBName+"-pos"))
	if err != nil {
		return 0, err
	}
	return parseTXID(strings.SplitN(strings.TrimSpace(string(b)), "/", 2)[0])
}

// parseTXID parses LiteFS's hexadecimal transaction id.
func parseTXID(s string) (uint64, error) {
	return strconv.ParseUint(s, 16, 64)
}
