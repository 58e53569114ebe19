package webhookstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
	"linkbase/webhook"
)

// due is an outbox message whose time has come, with its webhook.
type due struct {
	ID        string `db:"id"`
	Webhook   string `db:"webhook"`
	MessageID string `db:"message_id"`
	Type      string `db:"type"`
	Payload   string `db:"payload"`
	Attempts  int    `db:"attempts"`
	URL       string `db:"url"`
	Secret    string `db:"secret"`
}

// outcome is what one attempt gave.
type outcome struct {
	status   int
	err      error
	duration time.Duration
}

// deliverDue attempts every due message once (a batch at a time, at most
// parallel at once) and records each attempt. Messages of a disabled
// webhook wait until it is enabled again. A failed delivery is no error
// of the pass, which fails only when the database does.
func (s *Store) deliverDue(ctx context.Context) error {
	if !s.writes() {
		return nil
	}
	s.passMu.Lock()
	defer s.passMu.Unlock()
	now, err := types.ParseDateTime(s.clock())
	if err != nil {
		return err
	}
	var batch []due
	err = s.app.DB().NewQuery(`SELECT o.id, o.webhook, o.message_id, o.type, o.payload, o.attempts, w.url, w.secret
		FROM {{webhook_outbox}} o JOIN {{webhooks}} w ON w.id = o.webhook
		WHERE o.status = {:pending} AND o.next_attempt_at <= {:now} AND w.enabled = TRUE
		ORDER BY o.next_attempt_at LIMIT {:n}`).
		Bind(dbx.Params{"pending": schema.OutboxPending, "now": now.String(), "n": batchSize}).All(&batch)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	for _, m := range batch {
		if err := s.slots.Acquire(ctx); err != nil {
			break // shutting down: the rest stays pending
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.slots.Release()
			o := s.attempt(ctx, m)
			if ctx.Err() != nil && o.status == 0 {
				return // cut short by the shutdown, not the receiver's fault: left pending
			}
			if err := s.record(m, o); err != nil {
				mu.Lock()
				failed = errors.Join(failed, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(batch) == batchSize {
		s.worker.Kick()
	}
	s.prune()
	return failed
}

// attempt sends message m once: the envelope as it was written, signed
// with the webhook's secret at the time of sending.
func (s *Store) attempt(ctx context.Context, m due) outcome {
	start := time.Now()
	key, err := webhook.Key(m.Secret)
	if err != nil {
		return outcome{err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader([]byte(m.Payload)))
	if err != nil {
		return outcome{err: err}
	}
	ts := s.clock().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Linkbase-Webhooks/1")
	req.Header.Set(webhook.HeaderID, m.MessageID)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(webhook.HeaderSignature, webhook.Sign(key, m.MessageID, ts, []byte(m.Payload)))
	res, err := s.client.Do(req)
	if err != nil {
		return outcome{err: err, duration: time.Since(start)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return outcome{status: res.StatusCode, duration: time.Since(start)}
}

// record writes the attempt's row and moves the message on: delivered,
// due again after the next retry delay, or given up once the schedule
// is spent. One transaction, so the log and the outbox agree.
func (s *Store) record(m due, o outcome) error {
	now := s.clock()
	attempts := m.Attempts + 1
	success := o.err == nil && webhook.Delivered(o.status)
	errText := ""
	switch {
	case o.err != nil:
		errText = o.err.Error()
	case !success:
		errText = "answered " + strconv.Itoa(o.status) + " " + http.StatusText(o.status)
	}
	errText = truncate(errText, 500)
	status, next := schema.OutboxDelivered, now
	if !success {
		status = schema.OutboxFailed
		if wait, ok := webhook.NextRetry(attempts); ok {
			status, next = schema.OutboxPending, now.Add(wait)
		}
	}
	at, err := types.ParseDateTime(now)
	if err != nil {
		return err
	}
	nextAt, err := types.ParseDateTime(next)
	if err != nil {
		return err
	}
	return s.app.RunInTransaction(func(tx core.App) error {
		_, err := tx.DB().NewQuery(`INSERT INTO {{webhook_deliveries}} ([[id]], [[webhook]], [[outbox]], [[message_id]], [[type]],
			  [[attempt]], [[status_code]], [[error]], [[duration_ms]], [[success]], [[created]])
			VALUES ({:id}, {:w}, {:o}, {:m}, {:t}, {:n}, {:code}, {:err}, {:ms}, {:ok}, {:at})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "w": m.Webhook, "o": m.ID, "m": m.MessageID, "t": m.Type,
				"n": attempts, "code": o.status, "err": errText, "ms": o.duration.Milliseconds(), "ok": success, "at": at.String()}).
			Execute()
		if err != nil {
			return err
		}
		_, err = tx.DB().NewQuery(`UPDATE {{webhook_outbox}} SET [[status]] = {:s}, [[attempts]] = {:n},
			  [[next_attempt_at]] = {:next}, [[last_error]] = {:err}, [[updated]] = {:at} WHERE [[id]] = {:id}`).
			Bind(dbx.Params{"s": status, "n": attempts, "next": nextAt.String(), "err": errText, "at": at.String(), "id": m.ID}).
			Execute()
		return err
	})
}

// pruneQueries drop the attempts and the finished messages older than
// {:cutoff}, each by index: a finished message's next_attempt_at is the
// time it finished (record), so the outbox's (status, next_attempt_at)
// index finds them.
var pruneQueries = []string{
	"DELETE FROM {{webhook_deliveries}} WHERE [[created]] < {:cutoff}",
	"DELETE FROM {{webhook_outbox}} WHERE [[status]] IN ('" + schema.OutboxDelivered + "', '" + schema.OutboxFailed +
		"') AND [[next_attempt_at]] < {:cutoff}",
}

// prune drops, at most once per pruneEvery, the attempt log and the
// finished messages older than keepFor.
func (s *Store) prune() {
	now := s.clock()
	s.pruneMu.Lock()
	if now.Sub(s.lastPrune) < pruneEvery {
		s.pruneMu.Unlock()
		return
	}
	s.lastPrune = now
	s.pruneMu.Unlock()
	cutoff, err := types.ParseDateTime(now.Add(-keepFor))
	if err != nil {
		return
	}
	for _, q := range pruneQueries {
		if _, err := s.app.DB().NewQuery(q).Bind(dbx.Params{"cutoff": cutoff.String()}).Execute(); err != nil {
			s.app.Logger().Warn("pruning the webhook log", "error", err)
			return
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
