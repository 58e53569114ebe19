package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// OutboxDir is the folder under the data dir where mails are written while
// SMTP is not configured.
const OutboxDir = "outbox"

// Outbox makes mail work with zero configuration; bind it to the app's
// OnMailerSend. While SMTP is not enabled in the settings, every mail is
// written as an .eml file under pb_data/outbox instead of being handed to
// a sendmail binary that a laptop or container rarely has, logged
// (Dashboard → Logs), and shown on the terminal as one line: recipient,
// subject and the link to follow, ready to copy. A mailer that another
// hook put in place (a test's TestMailer) still gets the message.
func (m *Mailer) Outbox(e *core.MailerEvent) error {
	if e.App.Settings().SMTP.Enabled {
		return e.Next()
	}
	now := m.clock()
	path, err := writeOutbox(e.App.DataDir(), e.Message, now)
	if err != nil {
		return fmt.Errorf("writing the mail to the outbox: %w", err)
	}
	to, link := strings.Join(addresses(e.Message.To), ", "), mailLink(e.Message)
	e.App.Logger().Info("Mail written to the outbox (SMTP is not configured)",
		"to", to, "subject", e.Message.Subject, "link", link, "file", path)
	if m.terminal != nil && !e.App.IsDev() { // in dev mode the logger prints to the terminal itself
		fmt.Fprintln(m.terminal, terminalLine(now, to, e.Message.Subject, link))
	}
	if _, isSendmail := e.Mailer.(*mailer.Sendmail); isSendmail {
		return nil
	}
	return e.Next()
}

// terminalLine is a mail's one line on the terminal. The link stands
// last, alone after a space, so a double click or a terminal's link
// detection takes all of it.
func terminalLine(now time.Time, to, subject, link string) string {
	if link == "" {
		link = "(no link)"
	}
	return fmt.Sprintf("%s Mail to %s: %q %s", now.Local().Format("2006/01/02 15:04:05"), to, oneLine(subject), link)
}

// writeOutbox writes msg as a MIME message (renderEML) into a new file of
// dataDir/outbox, and returns its path.
func writeOutbox(dataDir string, msg *mailer.Message, now time.Time) (string, error) {
	eml, err := renderEML(msg, now)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(dataDir, OutboxDir)
	// The mails hold live tokens: readable by the app's user only.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return "", err
	}
	path := filepath.Join(dir, now.UTC().Format("20060102T150405.000000000Z")+"-"+hex.EncodeToString(suffix)+".eml")
	return path, os.WriteFile(path, eml, 0o600)
}

// renderEML writes msg as a MIME message that any mail program opens, with
// its text parts in UTF-8 as they are (8bit), so that the file read in a
// terminal or an editor shows each link whole on its line. mailyak, which
// PocketBase's SMTP client uses, always writes quoted-printable, whose
// soft line breaks and "=3D" cut a long link apart. A part with a line
// longer than SMTP's 998 octets (which 8bit does not allow) stays
// quoted-printable. Headers are RFC 2047 encoded where they need it.
func renderEML(msg *mailer.Message, now time.Time) ([]byte, error) {
	var body bytes.Buffer
	parts := multipart.NewWriter(&body)
	for _, p := range []struct{ mediaType, content string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		if p.content == "" {
			continue
		}
		if err := writeTextPart(parts, p.mediaType, p.content); err != nil {
			return nil, err
		}
	}
	if err := parts.Close(); err != nil {
		return nil, err
	}

	var out bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&out, "%s: %s\r\n", name, value) }
	header("From", addressList([]mail.Address{msg.From}))
	header("To", addressList(msg.To))
	if len(msg.Cc) > 0 {
		header("Cc", addressList(msg.Cc))
	}
	header("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	header("Date", now.UTC().Format(time.RFC1123Z))
	for _, name := range slices.Sorted(maps.Keys(msg.Headers)) {
		if !validHeaderName(name) {
			continue
		}
		header(textproto.CanonicalMIMEHeaderKey(name), mime.QEncoding.Encode("utf-8", msg.Headers[name]))
	}
	header("MIME-Version", "1.0")
	header("Content-Type", `multipart/alternative; boundary="`+parts.Boundary()+`"`)
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// maxLineOctets is the longest line SMTP (RFC 5322) carries as it is.
const maxLineOctets = 998

func writeTextPart(parts *multipart.Writer, mediaType, content string) error {
	content = strings.ReplaceAll(strings.ReplaceAll(content, "\r\n", "\n"), "\n", "\r\n")
	encoding := "8bit"
	for line := range strings.SplitSeq(content, "\r\n") {
		if len(line) > maxLineOctets {
			encoding = "quoted-printable"
		}
	}
	w, err := parts.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mediaType + "; charset=UTF-8"},
		"Content-Transfer-Encoding": {encoding},
	})
	if err != nil {
		return err
	}
	if encoding == "8bit" {
		_, err = io.WriteString(w, content)
		return err
	}
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, content); err != nil {
		return err
	}
	return qp.Close()
}

func addresses(list []mail.Address) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
	}
	return out
}

// addressList is an address header's value: "Name <address>" with the
// name RFC 2047 encoded where it needs it, or the bare address.
func addressList(list []mail.Address) string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
		if a.Name != "" {
			out[i] = a.String()
		}
	}
	return strings.Join(out, ", ")
}

// validHeaderName keeps a header name to RFC 5322's printable characters
// without a colon, so no name can start a header of its own.
func validHeaderName(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r > '~' || r == ':' })
}

var linkPattern = regexp.MustCompile(`https?://[^\s"'<>]+`)

// mailLink is the link a mail asks its reader to follow: the first of its
// text part, else of its HTML with the entities decoded ("&amp;" is "&"
// in the link a browser opens); "" when there is none.
func mailLink(msg *mailer.Message) string {
	if link := linkPattern.FindString(msg.Text); link != "" {
		return link
	}
	return html.UnescapeString(linkPattern.FindString(msg.HTML))
}

// oneLine folds a header's line breaks, so the terminal's line stays one.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
