package routes_test

import (
	"errors"
	"linkbase/testutil"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// brokenMailer fails every send, as an unreachable SMTP server does.
type brokenMailer struct{ attempts atomic.Int32 }

func (m *brokenMailer) Send(*mailer.Message) error {
	m.attempts.Add(1)
	return errors.New("dial tcp 127.0.0.1:25: connection refused")
}

// TestFailedSendKeepsTheAnswer checks that a mail that cannot be sent
// changes no answer, and that it does not hold the throttle, so asking
// again tries again.
func TestFailedSendKeepsTheAnswer(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	broken := &brokenMailer{}
	app.OnMailerSend().Bind(&hook.Handler[*core.MailerEvent]{
		Func: func(e *core.MailerEvent) error {
			e.Mailer = broken
			return e.Next()
		},
		Priority: -99998, // after TestApp swaps in its TestMailer
	})
	h := serve(t, app)

	if rec := do(h, http.MethodPost, "/api/register", `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`); rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	for range 2 {
		if rec := do(h, http.MethodPost, "/api/forgot-password", `{"email":"bob@example.com"}`); rec.Code != http.StatusNoContent {
			t.Fatalf("forgot-password: %d %s", rec.Code, rec.Body)
		}
	}
	if got := broken.attempts.Load(); got != 3 {
		t.Fatalf("%d send attempts, want 3 (registration, then each failed reset retried)", got)
	}
}
