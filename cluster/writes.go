package cluster

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
)

// A replica hands the primary the writes it cannot make (package handoff)
// at writesPath, a path only nodes can use: each call is signed with the
// cluster secret over its body.
const (
	writesPath          = "/api/cluster/writes"
	headerNodeSignature = "X-Linkbase-Node-Signature"
	// maxWriteBody bounds a handed write (a full buffer of counts is well
	// under a megabyte).
	maxWriteBody = 8 << 20
	// writeTimeout bounds one hand-over; the caller retries later.
	writeTimeout = 10 * time.Second
)

// signWrite is a write's signature: HMAC-SHA256 over the time and the
// body's digest, under the cluster secret.
func signWrite(secret []byte, at int64, body []byte) string {
	digest := sha256.Sum256(body)
	mac := hmac.New(sha256.New, secret)
	for _, part := range []string{"linkbase-write-v1", strconv.FormatInt(at, 10), hex.EncodeToString(digest[:])} {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return strconv.FormatInt(at, 10) + "." + hex.EncodeToString(mac.Sum(nil))
}

// verifyWrite reports whether sig is a node's signature of body, made
// within signatureMaxAge of now.
func verifyWrite(secret []byte, sig string, body []byte, now time.Time) bool {
	t, ok := signedAt(sig, now)
	return ok && hmac.Equal([]byte(sig), []byte(signWrite(secret, t, body)))
}

// signedAt is the time a signature "<unix seconds>.<hex>" says it was
// made at, if that is within signatureMaxAge of now (either way: clocks
// drift).
func signedAt(sig string, now time.Time) (int64, bool) {
	at, _, ok := strings.Cut(sig, ".")
	if !ok {
		return 0, false
	}
	t, err := strconv.ParseInt(at, 10, 64)
	if err != nil || now.Sub(time.Unix(t, 0)).Abs() > signatureMaxAge {
		return 0, false
	}
	return t, true
}

// Send implements handoff.Node: it hands w to the primary and waits for it
// to be applied there.
func (n *Node) Send(ctx context.Context, w handoff.Write) error {
	err := n.send(ctx, w)
	n.stats.handedWrite(w.Kind, err)
	return err
}

func (n *Node) send(ctx context.Context, w handoff.Write) error {
	primary := n.Primary()
	if primary == nil {
		return errors.New("cluster: no primary is reachable")
	}
	body, err := json.Marshal(w)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, primary.String()+writesPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(headerNodeSignature, signWrite(n.cfg.Secret, time.Now().Unix(), body))
	res, err := (&http.Client{Transport: forwardTransport}).Do(req)
	if err != nil {
		return fmt.Errorf("cluster: handing a %s write to the primary: %w", w.Kind, err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNoContent {
		return nil
	}
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	return fmt.Errorf("cluster: the primary refused a %s write: %s %s", w.Kind, res.Status, bytes.TrimSpace(msg))
}

// serveWrite is the primary's side of send. It runs in the forwarder,
// ahead of PocketBase's activity log and rate limits: a node's writes are
// neither a client's requests nor limited like them.
func (n *Node) serveWrite(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost {
		return e.Error(http.StatusMethodNotAllowed, "Nodes POST their writes here.", nil)
	}
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, maxWriteBody))
	if err != nil {
		return e.Error(http.StatusRequestEntityTooLarge, "The write is too large.", nil)
	}
	if !verifyWrite(n.cfg.Secret, e.Request.Header.Get(headerNodeSignature), body, time.Now()) {
		return e.UnauthorizedError("Only the cluster's nodes may hand writes over.", nil)
	}
	if !n.IsPrimary() {
		return unavailable(e, "This node is not the primary; try again.")
	}
	var w handoff.Write
	if err := json.Unmarshal(body, &w); err != nil || w.Kind == "" {
		return e.BadRequestError("The write is not valid JSON with a kind.", err)
	}
	if err := handoff.ApplyHere(e.App, w); err != nil {
		if errors.Is(err, handoff.ErrUnknownKind) {
			return e.BadRequestError("This node does not know that kind of write.", err)
		}
		n.app.Logger().Error("cluster: applying a replica's write", "kind", w.Kind, "error", err)
		return e.InternalServerError("", err)
	}
	n.stats.applied.WithLabelValues(w.Kind).Inc()
	return e.NoContent(http.StatusNoContent)
}
