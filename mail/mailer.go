package mail

import (
	"context"
	"errors"
	"io"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/routine"

	"linkbase/account"
	"linkbase/schema"
	"linkbase/state"
)

// ThrottleWindow is how long an address waits for a second mail of the
// same kind (SECURITY.md: at most one per address per 2 minutes).
const ThrottleWindow = 2 * time.Minute

// Mailer sends mails to users off the request path, at most one of each
// kind per address per ThrottleWindow, and waits for the mails in flight
// when the app stops. One per app (package stores).
type Mailer struct {
	app      core.App
	clock    state.Clock
	throttle state.Limiter // one mail per kind and address per window
	terminal io.Writer     // where the outbox shows each mail; nil: nowhere
	inFlight sync.WaitGroup
}

// New returns the mailer of app; throttle allows one action per
// ThrottleWindow (NewThrottle in one process). While SMTP is not set,
// each mail is shown as one line on terminal (the operator's: the
// binary's stdout), unless it is nil.
func New(app core.App, clock state.Clock, throttle state.Limiter, terminal io.Writer) *Mailer {
	return &Mailer{app: app, clock: clock, throttle: throttle, terminal: terminal}
}

// NewThrottle is the in-process throttle of a Mailer.
func NewThrottle(clock state.Clock) *state.MemoryLimiter {
	return state.NewMemoryLimiter(1, ThrottleWindow, clock)
}

// Send mails the user with userID ("" when no account has the address) a
// mail of kind k, off the request path. Known and unknown addresses take
// the same steps on the request path, so neither the answer nor its timing
// tells whether an account exists, and SMTP latency never shows. Failures
// are logged and never reach the caller.
func (m *Mailer) Send(email, userID string, k Kind) {
	routine.FireAndForget(func() {
		ctx := context.Background()
		if userID == "" || !m.Claim(ctx, email, k) {
			return
		}
		user, err := m.app.FindRecordById(schema.Users, userID)
		if err != nil {
			m.forget(ctx, email, k)
			return
		}
		if err := m.sendClaimed(ctx, email, user, k, Data{}); err != nil && !errors.Is(err, ErrNotWanted) {
			m.app.Logger().Error("Failed to send an account mail", "kind", k.Name, "user", user.Id, "error", err.Error())
		}
	}, &m.inFlight)
}

// Claim takes the throttle's one mail of kind k to email for the
// window, reporting false when that mail went out already (or the
// throttle cannot be read: no mail then). Send claims before it sends;
// PocketBase's own mail routes claim through hooks, so one reset and one
// verification mail per address per window holds whichever route asks.
func (m *Mailer) Claim(ctx context.Context, email string, k Kind) bool {
	allowed, err := m.throttle.Allow(ctx, throttleKey(email, k))
	if err != nil {
		m.app.Logger().Error("Failed to check the mail throttle", "kind", k.Name, "error", err.Error())
	}
	return err == nil && allowed
}

// throttleKey names one kind of mail to one mailbox, in the address's
// canonical form.
func throttleKey(email string, k Kind) string {
	return k.Name + ":" + account.NormalizeEmail(email)
}

// Errors of Notify, which the caller acts on: a throttled notice can go
// out later, an unwanted one never.
var (
	ErrThrottled = errors.New("a mail of this kind went to this address within the throttle window")
	ErrNotWanted = errors.New("the user does not want this kind of mail")
)

// Notify mails user a notice of kind k saying d (its counts), now, on the
// caller's goroutine (a digest's flusher, never a request), under the same
// throttle as Send: ErrThrottled when a mail of that kind went to the
// address within ThrottleWindow, ErrNotWanted when k.Wants says no.
func (m *Mailer) Notify(ctx context.Context, user *core.Record, k Kind, d Data) error {
	email := user.Email()
	allowed, err := m.throttle.Allow(ctx, throttleKey(email, k))
	if err != nil {
		return err
	}
	if !allowed {
		return ErrThrottled
	}
	return m.sendClaimed(ctx, email, user, k, d)
}

// sendClaimed sends user the mail of kind k whose throttle slot for email
// was just claimed (ErrNotWanted when k.Wants says no), giving the slot
// back when nothing was sent, so that a retry may send at once.
func (m *Mailer) sendClaimed(ctx context.Context, email string, user *core.Record, k Kind, d Data) error {
	err := ErrNotWanted
	if k.Wants(user) {
		err = m.deliver(user, k, d)
	}
	if err != nil {
		m.forget(ctx, email, k)
	}
	return err
}

// forget gives back the throttle slot of kind k to email.
func (m *Mailer) forget(ctx context.Context, email string, k Kind) {
	if err := m.throttle.Forget(ctx, throttleKey(email, k)); err != nil {
		m.app.Logger().Warn("Failed to clear the mail throttle", "kind", k.Name, "error", err.Error())
	}
}

// deliver renders and sends a mail of kind k to user, with d's counts.
func (m *Mailer) deliver(user *core.Record, k Kind, d Data) error {
	settings := m.app.Settings()
	// The link comes from the configured app URL, never the Host header.
	link := strings.TrimRight(settings.Meta.AppURL, "/") + k.Page
	if k.NewToken != nil {
		token, err := k.NewToken(user)
		if err != nil {
			return err
		}
		link += "?token=" + url.QueryEscape(token)
	}
	var validFor time.Duration
	if k.ValidFor != nil {
		validFor = k.ValidFor(user.Collection())
	}
	d.Product, d.Link, d.ValidFor = settings.Meta.AppName, link, validFor
	content, err := Render(k.Wording, d)
	if err != nil {
		return err
	}
	return m.app.NewMailClient().Send(&mailer.Message{
		From:    netmail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress},
		To:      []netmail.Address{{Address: user.Email()}},
		Subject: content.Subject,
		Text:    content.Text,
		HTML:    content.HTML,
	})
}

// Wait blocks until the mails sent off the request path have been handed
// to the mailer; tests call it before looking at app.TestMailer.
func (m *Mailer) Wait() { m.inFlight.Wait() }

// Drain waits for the mails in flight until ctx is done, when the app
// stops, so that no mail is lost to a restart.
func (m *Mailer) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { m.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
