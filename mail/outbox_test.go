package mail_test

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"linkbase/mail"
	"linkbase/testutil"
)

// link is as long as a real token's link, far past quoted-printable's
// 76-character lines, and has the "=" that it writes "=3D".
var link = "http://localhost:8090/verify-email?token=eyJhbGciOiJIUzI1NiJ9." + strings.Repeat("eyJjb2xsZWN0aW9uSWQiOiJfcGJfdXNlcnNfYXV0aF8i", 4) + ".abc-def_ghi"

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
	parts, encodings := readParts(t, msg.Header.Get("Content-Type"), msg.Body)
	if !strings.Contains(parts["text/plain"], link) || !strings.Contains(parts["text/html"], link) {
		t.Errorf("the link is missing from a part: %#v", parts)
	}
	if encodings["text/plain"] != "8bit" || encodings["text/html"] != "8bit" {
		t.Errorf("transfer encodings %v, want 8bit text parts", encodings)
	}

	// Read as a file, in a terminal or an editor: the link whole on its
	// own line, and the text readable UTF-8.
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(raw), "\r\n"), link) {
		t.Errorf("no line of the file is the link:\n%s", raw)
	}
	if !strings.Contains(string(raw), "If this wasn't you") || strings.Contains(string(raw), "=3D") {
		t.Errorf("the text part is not readable as it is:\n%s", raw)
	}
}

// TestOutboxPrintsOneLinePerMail: on the terminal, each mail is one line
// with its recipient, subject and link; the link is the HTML's (decoded)
// when there is no text part, as in PocketBase's own mails.
func TestOutboxPrintsOneLinePerMail(t *testing.T) {
	app := testutil.NewApp(t)
	restoreSendmail(app)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var screen strings.Builder
	m := mail.New(app, func() time.Time { return now }, mail.NewThrottle(time.Now), &screen)

	htmlOnly := message()
	htmlOnly.Subject = "Confirm your new email\r\nBcc: mallory@example.com"
	htmlOnly.Text = ""
	htmlOnly.HTML = `<p><a href="http://localhost:8090/confirm-email-change?token=abc&amp;next=%2F">Confirm</a></p>`
	noLink := message()
	noLink.Text, noLink.HTML = "Your one-time code is 123456.", "<p>Your one-time code is 123456.</p>"
	for _, msg := range []*mailer.Message{message(), htmlOnly, noLink} {
		if err := m.Outbox(&core.MailerEvent{App: app, Mailer: &mailer.Sendmail{}, Message: msg}); err != nil {
			t.Fatal(err)
		}
	}

	lines := strings.Split(strings.TrimSuffix(screen.String(), "\n"), "\n")
	when := now.Local().Format("2006/01/02 15:04:05")
	want := []string{
		when + ` Mail to ann@example.com: "Reset your Linkbase password – ünïcode" ` + link,
		when + ` Mail to ann@example.com: "Confirm your new email Bcc: mallory@example.com" http://localhost:8090/confirm-email-change?token=abc&next=%2F`,
		when + ` Mail to ann@example.com: "Reset your Linkbase password – ünïcode" (no link)`,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("terminal:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// The subject's line break is encoded, never a header of its own.
	for _, f := range outboxFiles(t, app) {
		raw, _ := os.ReadFile(f)
		if strings.Contains(string(raw), "\r\nBcc:") {
			t.Errorf("a subject started a header:\n%s", raw)
		}
	}
}

// TestOutboxKeepsOverlongLinesQuotedPrintable: 8bit allows lines of at
// most 998 octets; a part with a longer one is quoted-printable.
func TestOutboxKeepsOverlongLinesQuotedPrintable(t *testing.T) {
	app := testutil.NewApp(t)
	restoreSendmail(app)
	msg := message()
	msg.HTML = "<p>" + strings.Repeat("x", 1200) + "</p>"
	if err := app.NewMailClient().Send(msg); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(outboxFiles(t, app)[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parsed, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	parts, encodings := readParts(t, parsed.Header.Get("Content-Type"), parsed.Body)
	if encodings["text/plain"] != "8bit" || encodings["text/html"] != "quoted-printable" || parts["text/html"] != msg.HTML {
		t.Errorf("encodings %v, html %d bytes", encodings, len(parts["text/html"]))
	}
}

// readParts returns the decoded text parts of a MIME body by content type,
// and the transfer encoding each was sent in, descending into nested
// multiparts.
func readParts(t *testing.T, contentType string, body io.Reader) (parts, encodings map[string]string) {
	t.Helper()
	parts, encodings = map[string]string{}, map[string]string{}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		b, _ := io.ReadAll(body)
		parts[mediaType] = string(b)
		return parts, encodings
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextRawPart() // as written, to see the encoding
		if err == io.EOF {
			return parts, encodings
		}
		if err != nil {
			t.Fatal(err)
		}
		partType, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		var content io.Reader = p
		switch encodings[partType] = p.Header.Get("Content-Transfer-Encoding"); encodings[partType] {
		case "quoted-printable":
			content = quotedprintable.NewReader(p)
		case "8bit":
		default:
			t.Errorf("%s part in %q", partType, encodings[partType])
		}
		b, _ := io.ReadAll(content)
		parts[partType] = strings.ReplaceAll(string(b), "\r\n", "\n")
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
