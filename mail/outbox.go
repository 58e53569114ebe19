package mail

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/domodwyer/mailyak/v3"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// OutboxDir is the folder under the data dir where mails are written while
// SMTP is not configured.
const OutboxDir = "outbox"

// Outbox makes mail work with zero configuration; bind it to the app's
// OnMailerSend. While SMTP is not enabled in the settings, every mail is
// logged (recipient, subject, link) and written as an .eml file under
// pb_data/outbox instead of being handed to a sendmail binary that a
// laptop or container rarely has. A mailer that another hook put in place
// (a test's TestMailer) still gets the message.
func (m *Mailer) Outbox(e *core.MailerEvent) error {
	if e.App.Settings().SMTP.Enabled {
		return e.Next()
	}
	path, err := writeOutbox(e.App.DataDir(), e.Message, m.clock())
	if err != nil {
		return fmt.Errorf("writing the mail to the outbox: %w", err)
	}
	e.App.Logger().Info("Mail written to the outbox (SMTP is not configured)",
		"to", addresses(e.Message.To), "subject", e.Message.Subject,
		"link", firstLink(e.Message.Text+" "+e.Message.HTML), "file", path)
	if _, isSendmail := e.Mailer.(*mailer.Sendmail); isSendmail {
		return nil
	}
	return e.Next()
}

// writeOutbox renders msg as a MIME message, the same way PocketBase's SMTP
// client does, into a new file of dataDir/outbox, and returns its path.
func writeOutbox(dataDir string, msg *mailer.Message, now time.Time) (string, error) {
	yak := mailyak.New("", nil)
	if msg.From.Name != "" {
		yak.FromName(msg.From.Name)
	}
	yak.From(msg.From.Address)
	yak.To(addresses(msg.To)...)
	yak.Subject(msg.Subject)
	yak.Plain().Set(msg.Text)
	yak.HTML().Set(msg.HTML)
	for k, v := range msg.Headers {
		yak.AddHeader(k, v)
	}
	buf, err := yak.MimeBuf()
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
	return path, os.WriteFile(path, buf.Bytes(), 0o600)
}

func addresses(list []mail.Address) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
	}
	return out
}

var linkPattern = regexp.MustCompile(`https?://[^\s"<>]+`)

// firstLink is the link a mail asks its reader to follow, for the log.
func firstLink(body string) string {
	return linkPattern.FindString(body)
}
