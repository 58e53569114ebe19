package routes_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	pbmailer "github.com/pocketbase/pocketbase/tools/mailer"

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

	rec := testutil.Send(h, http.MethodPost, "/api/register", `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512"}`, nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	var session struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &session); err != nil {
		t.Fatal(err)
	}

	// Verification.
	verifyToken := mailToken(t, app.TestMailer.LastMessage(), appURL, "/verify-email")
	if rec := testutil.Send(h, http.MethodPost, "/api/request-verification", `{"email":"bob@example.com"}`, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("request-verification: %d", rec.Code)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("a second verification mail within 2 minutes was sent (%d mails)", n)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/verify-email", `{"token":"`+verifyToken+`"}`, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("verify-email: %d %s", rec.Code, rec.Body)
	}
	if rec := testutil.Send(h, http.MethodGet, "/api/me", "", map[string]string{"Authorization": session.Token}); !strings.Contains(rec.Body.String(), `"verified":true`) {
		t.Fatalf("me after verification: %d %s", rec.Code, rec.Body)
	}

	// Reset: one mail for two requests within the throttle window.
	for range 2 {
		if rec := testutil.Send(h, http.MethodPost, "/api/forgot-password", `{"email":"bob@example.com"}`, nil); rec.Code != http.StatusNoContent {
			t.Fatalf("forgot-password: %d", rec.Code)
		}
	}
	if n := app.TestMailer.TotalSend(); n != 2 {
		t.Fatalf("sent %d mails in all, want 2 (verification, one reset)", n)
	}
	resetToken := mailToken(t, app.TestMailer.LastMessage(), appURL, "/reset-password")
	body := `{"token":"` + resetToken + `","password":"copper-meadow-4821"}`
	if rec := testutil.Send(h, http.MethodPost, "/api/reset-password", body, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("reset-password: %d %s", rec.Code, rec.Body)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/reset-password", body, nil); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "token_invalid") {
		t.Fatalf("replayed reset token: %d %s", rec.Code, rec.Body)
	}
	if rec := testutil.Send(h, http.MethodGet, "/api/me", "", map[string]string{"Authorization": session.Token}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the session from before the reset still works: %d", rec.Code)
	}
	if rec := testutil.Send(h, http.MethodGet, "/api/me", "", map[string]string{"Cookie": "session=" + session.Token}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the session cookie from before the reset still works: %d", rec.Code)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"bob","password":"quiet-river-5512"}`, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old password: %d", rec.Code)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"bob","password":"copper-meadow-4821"}`, nil); rec.Code != http.StatusOK {
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

// inbox is a go-smtp backend that keeps every message it receives.
type inbox struct {
	mu       sync.Mutex
	messages [][]byte
	rcpts    []string
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{inbox: b}, nil }

type session struct {
	inbox *inbox
	rcpts []string
}

func (s *session) Reset()                               { s.rcpts = nil }
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.inbox.mu.Lock()
	defer s.inbox.mu.Unlock()
	s.inbox.messages = append(s.inbox.messages, b)
	s.inbox.rcpts = append(s.inbox.rcpts, s.rcpts...)
	return nil
}

// startSMTP runs an SMTP server on a free loopback port for the test.
func startSMTP(t *testing.T) (*inbox, int) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box := &inbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return box, l.Addr().(*net.TCPAddr).Port
}

// TestResetOverRealSMTP sends the reset mail through PocketBase's SMTP
// client to a real SMTP server on loopback, parses what arrived, follows
// its link and completes the reset.
func TestResetOverRealSMTP(t *testing.T) {
	box, port := startSMTP(t)
	app := testutil.Factory(t)
	t.Cleanup(app.Cleanup)
	// Undo TestApp's swap of the mailer for its TestMailer, so the mail
	// really goes out over SMTP.
	app.OnMailerSend().Bind(&hook.Handler[*core.MailerEvent]{
		Func: func(e *core.MailerEvent) error {
			e.Mailer = &pbmailer.SMTPClient{Host: "127.0.0.1", Port: port}
			return e.Next()
		},
		Priority: -99998,
	})
	s := app.Settings()
	s.Meta.AppURL = "https://links.example.com"
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", port
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	h := serve(t, app)

	if rec := testutil.Send(h, http.MethodPost, "/api/forgot-password", `{"email":"ann@example.com"}`, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("forgot-password: %d %s", rec.Code, rec.Body)
	}
	box.mu.Lock()
	if len(box.messages) != 1 || len(box.rcpts) != 1 || box.rcpts[0] != "ann@example.com" {
		box.mu.Unlock()
		t.Fatalf("the SMTP server got %d messages for %v, want 1 for ann", len(box.messages), box.rcpts)
	}
	raw := box.messages[0]
	box.mu.Unlock()

	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); !strings.Contains(subject, "Reset your Linkbase password") {
		t.Errorf("subject %q", subject)
	}
	text, html := mimeParts(t, msg.Header.Get("Content-Type"), msg.Body)
	if !strings.Contains(html, "/reset-password?token=") {
		t.Errorf("the HTML part lacks the link:\n%s", html)
	}
	token := mailToken(t, pbmailer.Message{Text: text}, "https://links.example.com", "/reset-password")

	// Follow the link: the page, then the call it makes.
	t.Setenv("LINKBASE_PUBLIC_DIR", "../pb_public")
	if rec := testutil.Send(h, http.MethodGet, "/reset-password?token="+token, "", nil); rec.Code != http.StatusOK || rec.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page: %d %v", rec.Code, rec.Header())
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/reset-password", `{"token":"`+token+`","password":"copper-meadow-4821"}`, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("reset-password: %d %s", rec.Code, rec.Body)
	}
	if rec := testutil.Send(h, http.MethodPost, "/api/login", `{"identity":"ann@example.com","password":"copper-meadow-4821"}`, nil); rec.Code != http.StatusOK {
		t.Fatalf("login with the new password: %d %s", rec.Code, rec.Body)
	}
}

// mimeParts returns the decoded plain-text and HTML parts of a message.
func mimeParts(t *testing.T, contentType string, body io.Reader) (text, html string) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, _ := io.ReadAll(body)
		if mediaType == "text/html" {
			return "", string(b)
		}
		return string(b), ""
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		tx, ht := mimeParts(t, p.Header.Get("Content-Type"), p)
		text, html = text+tx, html+ht
	}
}
