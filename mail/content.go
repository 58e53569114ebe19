// Package mail is every mail Linkbase sends: what each kind says (this
// file, plain Go tested as tables), who gets it and the link it carries
// (kinds.go), the send path off the request with its per-address throttle
// and its drain on shutdown (mailer.go), and the outbox that stands in for
// SMTP while none is configured (outbox.go). A new kind of mail is a
// Wording and a Kind.
package mail

import (
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
)

// Data is what a mail says: the product's name, the link to follow and
// how long the link works.
type Data struct {
	Product  string
	Link     string
	ValidFor time.Duration
}

// Content is a rendered mail.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

// Wording is the part of a mail that differs between the kinds; each field
// is a text/template of {{.Product}} and {{.ValidFor}}.
type Wording struct {
	Subject, Intro, Action, Expiry, NotYou string
}

// The wordings of the account mails.
var (
	ResetWording = Wording{
		Subject: "Reset your {{.Product}} password",
		Intro:   "Someone asked to reset the password of your {{.Product}} account. To choose a new password, open this link:",
		Action:  "Reset password",
		Expiry:  "The link works once and expires in {{.ValidFor}}.",
		NotYou:  "If this wasn't you, ignore this mail: your password stays as it is, and nobody can change it without this link.",
	}
	VerificationWording = Wording{
		Subject: "Verify your {{.Product}} email address",
		Intro:   "Welcome to {{.Product}}! To confirm that this address is yours, open this link:",
		Action:  "Verify email address",
		Expiry:  "The link expires in {{.ValidFor}}.",
		NotYou:  "If this wasn't you, ignore this mail: the account will stay unverified.",
	}
)

const textBody = `Hello,

{{.Intro}}

{{.Link}}

{{.Expiry}}

{{.NotYou}}

— {{.Product}}
`

// htmlBody keeps styles inline and minimal, since mail clients drop
// stylesheets; html/template escapes every value.
const htmlBody = `<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;line-height:1.5">
<p>Hello,</p>
<p>{{.Intro}}</p>
<p><a href="{{.Link}}">{{.Action}}</a></p>
<p>Or copy this address into your browser:<br>{{.Link}}</p>
<p>{{.Expiry}}</p>
<p>{{.NotYou}}</p>
<p>— {{.Product}}</p>
</body></html>
`

var (
	textTmpl = texttemplate.Must(texttemplate.New("text").Parse(textBody))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(htmlBody))
)

// Render writes a mail of wording w saying d: subject, plain-text and HTML
// parts.
func Render(w Wording, d Data) (Content, error) {
	params := map[string]string{"Product": d.Product, "ValidFor": FormatDuration(d.ValidFor)}
	values := map[string]string{"Action": w.Action, "Link": d.Link, "Product": d.Product}
	for name, tmpl := range map[string]string{
		"Subject": w.Subject, "Intro": w.Intro, "Expiry": w.Expiry, "NotYou": w.NotYou,
	} {
		t, err := texttemplate.New(name).Parse(tmpl)
		if err != nil {
			return Content{}, err
		}
		var b strings.Builder
		if err := t.Execute(&b, params); err != nil {
			return Content{}, err
		}
		values[name] = b.String()
	}
	var text, html strings.Builder
	if err := textTmpl.Execute(&text, values); err != nil {
		return Content{}, err
	}
	if err := htmlTmpl.Execute(&html, values); err != nil {
		return Content{}, err
	}
	return Content{Subject: values["Subject"], Text: text.String(), HTML: html.String()}, nil
}

// FormatDuration says a token lifetime the way a person would: "30
// minutes", "1 hour", "1 day". Lifetimes are configured in whole seconds,
// so it rounds down to the largest unit that divides them.
func FormatDuration(d time.Duration) string {
	units := []struct {
		size time.Duration
		name string
	}{
		{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"},
	}
	for _, u := range units {
		if d >= u.size && d%u.size == 0 {
			n := int64(d / u.size)
			if n == 1 {
				return "1 " + u.name
			}
			return strconv.FormatInt(n, 10) + " " + u.name + "s"
		}
	}
	return d.String()
}
