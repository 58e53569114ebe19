package routes_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	pbmailer "github.com/pocketbase/pocketbase/tools/mailer"

	"linkbase/testutil"
)

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

	if rec := do(h, http.MethodPost, "/api/forgot-password", `{"email":"ann@example.com"}`); rec.Code != http.StatusNoContent {
		t.Fatalf("forgot-password: %d %s", rec.Code, rec.Body)
	}
	box.mu.Lock()
	if len(box.messages) != 1 || len(box.rcpts) != 1 || box.rcpts[0] != "ann@example.com" {
		box.mu.Unlock()
		t.Fatalf("the SMTP server got %d messages for %v, want 1 for ann", len(box.messages), box.rcpts)
	}
	raw := box.messages[0]
	box.mu.Unlock()

	msg, err := mail.ReadMessage(bytes.NewReader(raw))
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
	if rec := do(h, http.MethodGet, "/reset-password?token="+token, ""); rec.Code != http.StatusOK || rec.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page: %d %v", rec.Code, rec.Header())
	}
	if rec := do(h, http.MethodPost, "/api/reset-password", `{"token":"`+token+`","password":"copper-meadow-4821"}`); rec.Code != http.StatusNoContent {
		t.Fatalf("reset-password: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, http.MethodPost, "/api/login", `{"identity":"ann@example.com","password":"copper-meadow-4821"}`); rec.Code != http.StatusOK {
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
