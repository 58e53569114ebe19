package mail_test

import (
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"linkbase/mail"
	"linkbase/testutil"
)

const link = "http://localhost:8090/reset-password?token=abc.def-ghi_jkl"

func message() *mailer.Message {
	return &mailer.Message{
		From:    netmail.Address{Name: "Linkbase", Address: "noreply@example.com"},
		To:      []netmail.Address{{Address: "ann@example.com"}},
		Subject: "Reset your Linkbase password – ünïcode",
		Text:    "Open this link:\n\n" + link + "\n\nIf this wasn't you, ignore this mail. " + strings.Repeat("long line ", 20),
		HTML:    `<p><a href="` + link + `">Reset password</a></p>`,
	}
}

// restoreSendmail puts back the sendmail client that TestApp swaps for its
// TestMailer, so the test sees what a fresh install does.
func restoreSendmail(app *tests.TestApp) {
	app.OnMailerSend().Bind(&hook.Handler[*core.MailerEvent]{
		Func: func(e *core.MailerEvent) error {
			e.Mailer = &mailer.Sendmail{}
			return e.Next()
		},
		Priority: -99998, // right after TestApp's own handler
	})
}

func outboxFiles(t *testing.T, app core.App) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(app.DataDir(), mail.OutboxDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOutboxWritesReadableEml(t *testing.T) {
	app := testutil.NewApp(t)
	restoreSendmail(app)

	// With no SMTP configured the mail must neither fail (no sendmail
	// binary needed) nor be lost.
	if err := app.NewMailClient().Send(message()); err != nil {
		t.Fatalf("send without SMTP: %v", err)
	}
	files := outboxFiles(t, app)
	if len(files) != 1 {
		t.Fatalf("outbox holds %d files, want 1", len(files))
	}
	info, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: the mail holds a live token", info.Mode().Perm())
	}

	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != message().Subject {
		t.Errorf("subject %q (%v), want %q", subject, err, message().Subject)
	}
	if to := msg.Header.Get("To"); to != "ann@example.com" {
		t.Errorf("To = %q", to)
	}
	parts := readParts(t, msg.Header.Get("Content-Type"), msg.Body)
	if !strings.Contains(parts["text/plain"], link) || !strings.Contains(parts["text/html"], link) {
		t.Errorf("the link is missing from a part: %#v", parts)
	}
}

// readParts returns the decoded text parts of a MIME body by content type,
// descending into nested multiparts.
func readParts(t *testing.T, contentType string, body io.Reader) map[string]string {
	t.Helper()
	parts := map[string]string{}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, _ := io.ReadAll(body)
		parts[mediaType] = string(b)
		return parts
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range readParts(t, p.Header.Get("Content-Type"), p) {
			parts[k] = v
		}
	}
}

func TestOutboxStillFeedsOtherMailers(t *testing.T) {
	app := testutil.NewApp(t)
	if err := app.NewMailClient().Send(message()); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("TestMailer got %d mails, want 1", n)
	}
	if n := len(outboxFiles(t, app)); n != 1 {
		t.Fatalf("outbox holds %d files, want 1", n)
	}
}

func TestOutboxUnusedWithSMTP(t *testing.T) {
	app := testutil.NewApp(t)
	app.Settings().SMTP.Enabled = true
	app.Settings().SMTP.Host = "127.0.0.1"
	if err := app.NewMailClient().Send(message()); err != nil {
		t.Fatal(err) // TestMailer stands in for the SMTP server
	}
	if n := len(outboxFiles(t, app)); n != 0 {
		t.Fatalf("outbox holds %d files with SMTP configured, want 0", n)
	}
}
