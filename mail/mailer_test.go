package mail_test

import (
	"strings"
	"testing"
	"time"

	"linkbase/mail"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestSendThrottlesPerAddressAndKind(t *testing.T) {
	clock := state.NewManualClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	app := testutil.NewAppAt(t, clock.Now)
	m := stores.Of(app).Mail
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	dan := testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	sent := func(want int, step string) {
		t.Helper()
		m.Wait()
		if got := app.TestMailer.TotalSend(); got != want {
			t.Fatalf("%s: %d mails sent, want %d", step, got, want)
		}
	}

	m.Send("ann@example.com", ann.Id, mail.PasswordReset)
	sent(1, "a reset")
	m.Send("ANN@example.com", ann.Id, mail.PasswordReset)
	sent(1, "a second reset at once (the address in another case)")
	m.Send("ann@example.com", ann.Id, mail.Verification)
	sent(2, "a verification: another kind")
	clock.Advance(mail.ThrottleWindow)
	m.Send("ann@example.com", ann.Id, mail.PasswordReset)
	sent(3, "a reset after the window")

	m.Send("nobody@example.com", "", mail.PasswordReset)
	m.Send("dan@example.com", dan.Id, mail.PasswordReset)
	sent(3, "no account, and a disabled one")

	last := app.TestMailer.LastMessage()
	if !strings.Contains(last.Text, "http://localhost:8090/reset-password?token=") || last.To[0].Address != "ann@example.com" {
		t.Fatalf("the reset mail: to %v\n%s", last.To, last.Text)
	}

	// Nothing went to dan, so his slot was given back: once enabled, his
	// reset goes out within the same window, and ann's still waits.
	dan.Set(schema.UserDisabled, false)
	if err := app.Save(dan); err != nil {
		t.Fatal(err)
	}
	m.Send("dan@example.com", dan.Id, mail.PasswordReset)
	m.Send("ann@example.com", ann.Id, mail.PasswordReset)
	sent(4, "a reset of the enabled account, and ann's second in the window")
	if to := app.TestMailer.LastMessage().To[0].Address; to != "dan@example.com" {
		t.Fatalf("the fourth mail went to %s", to)
	}
}
