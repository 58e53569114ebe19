package routes_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"linkbase/mail"
	"linkbase/testutil"
)

// TestMailFlow walks a new user through registration, verification and a
// password reset over HTTP, as the pages do.
func TestMailFlow(t *testing.T) {
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	h := serve(t, app)
	appURL := app.Settings().Meta.AppURL

	rec := do(h, http.MethodPost, "/api/register", `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	var session struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &session); err != nil {
		t.Fatal(err)
	}

	// Verification.
	verifyToken := mailToken(t, app.TestMailer.LastMessage(), appURL, "/verify-email")
	if rec := do(h, http.MethodPost, "/api/request-verification", `{"email":"bob@example.com"}`); rec.Code != http.StatusNoContent {
		t.Fatalf("request-verification: %d", rec.Code)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("a second verification mail within 2 minutes was sent (%d mails)", n)
	}
	if rec := do(h, http.MethodPost, "/api/verify-email", `{"token":"`+verifyToken+`"}`); rec.Code != http.StatusNoContent {
		t.Fatalf("verify-email: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, http.MethodGet, "/api/me", "", "Authorization", session.Token); !strings.Contains(rec.Body.String(), `"verified":true`) {
		t.Fatalf("me after verification: %d %s", rec.Code, rec.Body)
	}

	// Reset: one mail for two requests within the throttle window.
	for range 2 {
		if rec := do(h, http.MethodPost, "/api/forgot-password", `{"email":"bob@example.com"}`); rec.Code != http.StatusNoContent {
			t.Fatalf("forgot-password: %d", rec.Code)
		}
	}
	if n := app.TestMailer.TotalSend(); n != 2 {
		t.Fatalf("sent %d mails in all, want 2 (verification, one reset)", n)
	}
	resetToken := mailToken(t, app.TestMailer.LastMessage(), appURL, "/reset-password")
	body := `{"token":"` + resetToken + `","password":"copper-meadow-4821"}`
	if rec := do(h, http.MethodPost, "/api/reset-password", body); rec.Code != http.StatusNoContent {
		t.Fatalf("reset-password: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, http.MethodPost, "/api/reset-password", body); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "token_invalid") {
		t.Fatalf("replayed reset token: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, http.MethodGet, "/api/me", "", "Authorization", session.Token); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the session from before the reset still works: %d", rec.Code)
	}
	if rec := do(h, http.MethodGet, "/api/me", "", "Cookie", "session="+session.Token); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the session cookie from before the reset still works: %d", rec.Code)
	}
	if rec := do(h, http.MethodPost, "/api/login", `{"identity":"bob","password":"quiet-river-5512"}`); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old password: %d", rec.Code)
	}
	if rec := do(h, http.MethodPost, "/api/login", `{"identity":"bob","password":"copper-meadow-4821"}`); rec.Code != http.StatusOK {
		t.Fatalf("new password: %d %s", rec.Code, rec.Body)
	}

	// Zero configuration: both mails also sit in the outbox.
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), mail.OutboxDir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("outbox holds %d mails, want 2", len(files))
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	if !strings.Contains(all.String(), "/reset-password?token=") {
		t.Fatal("the outbox mail lacks the reset link")
	}
}
