package mail

import (
	"strings"
	"testing"
	"time"
)

func TestMails(t *testing.T) {
	d := Data{Product: "Linkbase", Link: "https://app.example.com/reset-password?token=a.b-c_d", ValidFor: 30 * time.Minute}
	cases := []struct {
		name string
		w    Wording
		want []string // in subject, text and HTML alike
	}{
		{"password reset", ResetWording, []string{"Reset your Linkbase password", "works once and expires in 30 minutes", "If this wasn't you"}},
		{"verification", VerificationWording, []string{"Verify your Linkbase email address", "expires in 30 minutes", "If this wasn't you"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Render(tc.w, d)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(c.Subject, "Linkbase") {
				t.Errorf("subject %q lacks the product name", c.Subject)
			}
			for part, body := range map[string]string{"text": c.Text, "html": c.HTML} {
				for _, w := range append(tc.want[1:], d.Link, "Linkbase") {
					if !strings.Contains(strings.ReplaceAll(body, "&#39;", "'"), w) {
						t.Errorf("%s part lacks %q:\n%s", part, w, body)
					}
				}
			}
			if !strings.Contains(c.Subject, tc.want[0]) {
				t.Errorf("subject = %q, want %q", c.Subject, tc.want[0])
			}
			if !strings.Contains(c.HTML, `<a href="`+d.Link+`">`) {
				t.Errorf("html part lacks a link to %s:\n%s", d.Link, c.HTML)
			}
		})
	}
}

func TestHTMLEscapesValues(t *testing.T) {
	c, err := Render(ResetWording, Data{Product: `<b>"Evil"</b>`, Link: `https://x.example/?a=1&b="><script>`, ValidFor: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<b>", "<script>", `"Evil"`} {
		if strings.Contains(c.HTML, bad) {
			t.Errorf("html part contains unescaped %q:\n%s", bad, c.HTML)
		}
	}
	if !strings.Contains(c.Text, `<b>"Evil"</b>`) {
		t.Errorf("text part should keep the name as is:\n%s", c.Text)
	}
}

func TestFormatDuration(t *testing.T) {
	cases := []struct {
		in   time.Duration
		want string
	}{
		{30 * time.Minute, "30 minutes"},
		{time.Minute, "1 minute"},
		{time.Hour, "1 hour"},
		{90 * time.Minute, "90 minutes"},
		{24 * time.Hour, "1 day"},
		{72 * time.Hour, "3 days"},
		{10 * time.Second, "10 seconds"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tc := range cases {
		if got := FormatDuration(tc.in); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
