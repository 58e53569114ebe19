package hooks_test

import (
	"strings"
	"testing"

	"linkbase/testutil"
)

func TestSMTPSettingsFromEnv(t *testing.T) {
	for name, value := range map[string]string{
		"LINKBASE_SMTP_HOST": "smtp.example.com", "LINKBASE_SMTP_PORT": "2525",
		"LINKBASE_SMTP_USERNAME": "mailer", "LINKBASE_SMTP_PASSWORD": "s3cret",
		"LINKBASE_SMTP_TLS": "true", "LINKBASE_MAIL_FROM_ADDRESS": "hello@links.example.com",
		"LINKBASE_MAIL_FROM_NAME": "Links",
	} {
		t.Setenv(name, value)
	}
	app := testutil.NewApp(t)
	if err := app.Bootstrap(); err != nil { // runs the OnBootstrap hooks again, now with the env
		t.Fatal(err)
	}
	s := app.Settings()
	if !s.SMTP.Enabled || s.SMTP.Host != "smtp.example.com" || s.SMTP.Port != 2525 ||
		s.SMTP.Username != "mailer" || s.SMTP.Password != "s3cret" || !s.SMTP.TLS {
		t.Errorf("SMTP settings not applied: %+v", s.SMTP)
	}
	if s.Meta.SenderAddress != "hello@links.example.com" || s.Meta.SenderName != "Links" {
		t.Errorf("sender not applied: %q <%s>", s.Meta.SenderName, s.Meta.SenderAddress)
	}
}

func TestSMTPBadPortFailsStartUp(t *testing.T) {
	t.Setenv("LINKBASE_SMTP_HOST", "smtp.example.com")
	t.Setenv("LINKBASE_SMTP_PORT", "smtp")
	app := testutil.NewApp(t)
	if err := app.Bootstrap(); err == nil {
		t.Fatal("a port that is not a number must fail the start-up, not be ignored")
	}
}

func TestNoEnvKeepsSMTPOff(t *testing.T) {
	app := testutil.NewApp(t)
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if app.Settings().SMTP.Enabled {
		t.Fatal("SMTP must stay off with zero configuration")
	}
}

func TestTrustedProxyHeadersFromEnv(t *testing.T) {
	t.Setenv("LINKBASE_TRUSTED_PROXY_HEADERS", "X-Forwarded-For, X-Real-IP,")
	app := testutil.NewApp(t)
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	got := app.Settings().TrustedProxy
	if strings.Join(got.Headers, "|") != "X-Forwarded-For|X-Real-IP" || got.UseLeftmostIP {
		t.Errorf("trusted proxy %+v, want X-Forwarded-For and X-Real-IP, rightmost address", got)
	}
}
