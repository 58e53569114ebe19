package routes

import (
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/routine"

	"linkbase/mailcontent"
	"linkbase/schema"
	"linkbase/throttle"
)

// mailThrottleWindow is how long an address waits for a second mail of
// the same kind (SECURITY.md: at most one per address per 2 minutes).
const mailThrottleWindow = 2 * time.Minute

// mailDrainTimeout bounds how long shutdown waits for mails in flight.
const mailDrainTimeout = 15 * time.Second

// Keys of the per-app state in app.Store().
const (
	mailThrottleStoreKey = "linkbaseMailThrottle"
	pendingMailsStoreKey = "linkbaseMailsInFlight"
)

// accountMail is one kind of account mail: who may get it, the page its
// link opens, the token it carries and its wording.
type accountMail struct {
	kind     string
	wants    func(user *core.Record) bool
	page     string
	newToken func(user *core.Record) (string, error)
	validFor func(users *core.Collection) time.Duration
	render   func(mailcontent.Data) (mailcontent.Content, error)
}

var (
	resetMail = accountMail{
		kind: "password_reset", page: "/reset-password",
		wants:    func(user *core.Record) bool { return !user.GetBool(schema.UserDisabled) },
		newToken: (*core.Record).NewPasswordResetToken,
		validFor: func(c *core.Collection) time.Duration { return c.PasswordResetToken.DurationTime() },
		render:   mailcontent.PasswordReset,
	}
	verificationMail = accountMail{
		kind: "verification", page: "/verify-email",
		wants:    func(user *core.Record) bool { return !user.Verified() && !user.GetBool(schema.UserDisabled) },
		newToken: (*core.Record).NewVerificationToken,
		validFor: func(c *core.Collection) time.Duration { return c.VerificationToken.DurationTime() },
		render:   mailcontent.Verification,
	}
)

// sendAccountMail mails the user with userID ("" when no account has the
// address) a link of the given kind, off the request path. Known and
// unknown addresses take the same steps on the request path, so neither
// the answer nor its timing tells whether an account exists, and SMTP
// latency never shows. Failures are logged and never reach the caller.
func sendAccountMail(app core.App, email, userID string, m accountMail) {
	routine.FireAndForget(func() {
		key := m.kind + ":" + strings.ToLower(email)
		throttle := mailThrottle(app)
		if userID == "" || !throttle.Allow(key) {
			return
		}
		user, err := app.FindRecordById(schema.Users, userID)
		if err != nil || !m.wants(user) {
			throttle.Forget(key)
			return
		}
		if err := deliverAccountMail(app, user, m); err != nil {
			throttle.Forget(key) // nothing was sent, so a retry may send at once
			app.Logger().Error("Failed to send an account mail", "kind", m.kind, "user", user.Id, "error", err.Error())
		}
	}, pendingMails(app))
}

func deliverAccountMail(app core.App, user *core.Record, m accountMail) error {
	token, err := m.newToken(user)
	if err != nil {
		return err
	}
	settings := app.Settings()
	// The link comes from the configured app URL, never the Host header.
	link := strings.TrimRight(settings.Meta.AppURL, "/") + m.page + "?token=" + url.QueryEscape(token)
	content, err := m.render(mailcontent.Data{
		Product: settings.Meta.AppName, Link: link, ValidFor: m.validFor(user.Collection()),
	})
	if err != nil {
		return err
	}
	return app.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: settings.Meta.SenderName, Address: settings.Meta.SenderAddress},
		To:      []mail.Address{{Address: user.Email()}},
		Subject: content.Subject,
		Text:    content.Text,
		HTML:    content.HTML,
	})
}

func mailThrottle(app core.App) *throttle.Store {
	return app.Store().GetOrSet(mailThrottleStoreKey, func() any {
		return throttle.New(1, mailThrottleWindow, time.Now)
	}).(*throttle.Store)
}

func pendingMails(app core.App) *sync.WaitGroup {
	return app.Store().GetOrSet(pendingMailsStoreKey, func() any { return &sync.WaitGroup{} }).(*sync.WaitGroup)
}

// WaitForMails blocks until the account mails sent off the request path
// have been handed to the mailer. Shutdown calls it so that no mail is
// lost; tests call it before looking at app.TestMailer.
func WaitForMails(app core.App) {
	pendingMails(app).Wait()
}

// drainMailsOnTerminate waits, up to mailDrainTimeout, for mails in flight
// when the app stops.
func drainMailsOnTerminate(e *core.TerminateEvent) error {
	done := make(chan struct{})
	go func() { WaitForMails(e.App); close(done) }()
	select {
	case <-done:
	case <-time.After(mailDrainTimeout):
		e.App.Logger().Warn("Stopped waiting for account mails in flight")
	}
	return e.Next()
}
