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
// how long the link works; a referral notice also says how many
// referrals turned successful (Count) and which milestone was reached
// with its bonus (Milestone, Reward; 0 for none).
type Data struct {
	Product  string
	Link     string
	ValidFor time.Duration

	Count, Milestone, Reward int
}

// Content is a rendered mail.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

// Wording is the part of a mail that differs between the kinds; each field
// is a text/template of {{.Product}}, {{.ValidFor}}, {{.Count}},
// {{.Milestone}} and {{.Reward}}. A notice leaves Expiry empty.
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
	// The referral notices: one mail sums up every referral that turned
	// successful since the last one (see refstore's notice digest).
	referralNewsOff     = "You get this mail because referral mails are on; turn them off in your dashboard (Account, Sign-in and your data)."
	ReferralNewsWording = Wording{
		Subject: "{{.Count}} new successful referral{{if ne .Count 1}}s{{end}} on {{.Product}}",
		Intro: "Good news: {{if eq .Count 1}}someone you referred has{{else}}{{.Count}} people you referred have{{end}}" +
			" confirmed their {{.Product}} account, and your credits have grown. Your referrals:",
		Action: "See your referrals",
		NotYou: referralNewsOff,
	}
	MilestoneWording = Wording{
		Subject: "You reached {{.Milestone}} successful referrals on {{.Product}}",
		Intro: "Congratulations: {{.Milestone}} people you referred have joined {{.Product}}, a milestone worth {{.Reward}} bonus" +
			" credits{{if gt .Count 1}} ({{.Count}} new successful referrals since our last mail){{end}}. Your referrals:",
		Action: "See your referrals",
		NotYou: referralNewsOff,
	}
)

const textBody = `Hello,

{{.Intro}}

{{.Link}}
{{if .Expiry}}
{{.Expiry}}
{{end}}
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
{{if .Expiry}}<p>{{.Expiry}}</p>
{{end}}
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
	params := map[string]any{
		"Product": d.Product, "ValidFor": FormatDuration(d.ValidFor), "Count": d.Count, "Milestone": d.Milestone, "Reward": d.Reward,
	}
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
