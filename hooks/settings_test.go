package hooks_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/handoff"
	"linkbase/refstore"
	"linkbase/schema"
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

func passwordCost(t *testing.T, app core.App) int {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	return users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost
}

func TestBcryptCostFromEnv(t *testing.T) {
	t.Setenv("LINKBASE_BCRYPT_COST", "11")
	app := testutil.NewApp(t)
	if err := app.Bootstrap(); err != nil { // runs the OnBootstrap hooks again, now with the env
		t.Fatal(err)
	}
	if got := passwordCost(t, app); got != 11 {
		t.Fatalf("cost %d, want 11", got)
	}
	user := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	if cost, err := bcrypt.Cost([]byte(user.GetString("password:hash"))); err != nil || cost != 11 {
		t.Fatalf("a new password was hashed at cost %d (%v), want 11", cost, err)
	}
}

func TestBcryptCostOutOfBoundsFailsStartUp(t *testing.T) {
	for _, v := range []string{"9", "15", "ten", "-1", "10.5"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv("LINKBASE_BCRYPT_COST", v)
			app := testutil.NewApp(t)
			if err := app.Bootstrap(); err == nil {
				t.Fatalf("LINKBASE_BCRYPT_COST=%s was accepted", v)
			}
		})
	}
}

func TestNoEnvKeepsBcryptCost(t *testing.T) {
	app := testutil.NewApp(t)
	before := passwordCost(t, app)
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if got := passwordCost(t, app); got != before {
		t.Fatalf("cost changed from %d to %d without configuration", before, got)
	}
}

func TestLocalTrialFromEnv(t *testing.T) {
	for _, c := range []struct {
		trial, appURL string
		on, fails     bool
	}{
		{trial: "", on: false},
		{trial: "0", on: false},
		{trial: "1", on: true}, // the default app URL, http://localhost:8090
		{trial: "true", appURL: "http://127.0.0.1:8090", on: true},
		{trial: "1", appURL: "http://[::1]:8090/", on: true},
		{trial: "1", appURL: "http://links.localhost:8090", on: true},
		{trial: "maybe", fails: true},
		{trial: "1", appURL: "https://links.example.com", fails: true},
		{trial: "1", appURL: "http://localhost.example.com", fails: true},
		{trial: "1", appURL: "http://127.0.0.1.nip.io", fails: true},
		{trial: "1", appURL: "http://10.0.0.2:8090", fails: true},
	} {
		t.Run(c.trial+" "+c.appURL, func(t *testing.T) {
			t.Setenv("LINKBASE_LOCAL_TRIAL", c.trial)
			if c.appURL != "" {
				t.Setenv("LINKBASE_APP_URL", c.appURL)
			}
			app := testutil.NewApp(t)
			err := app.Bootstrap() // runs the OnBootstrap hooks again, now with the env
			if c.fails {
				if err == nil {
					t.Fatal("the start-up was not refused")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := refstore.InLocalTrial(app); got != c.on {
				t.Fatalf("in a local trial: %v, want %v", got, c.on)
			}
		})
	}
}

// replica is a handoff.Node that never writes: the app is a cluster replica.
type replica struct{}

func (replica) IsPrimary() bool { return false }
func (replica) Send(context.Context, handoff.Write) error {
	return errors.New("not sent in this test")
}

func (replica) Forward(*core.RequestEvent, url.Values) error {
	return errors.New("not forwarded in this test")
}

// TestAReplicaSavesNoStartUpOverride: a replica cannot write data.db; it
// starts (rather than failing on a write) and keeps the primary's values.
func TestAReplicaSavesNoStartUpOverride(t *testing.T) {
	t.Setenv("LINKBASE_APP_NAME", "Replica's own name")
	t.Setenv("LINKBASE_BCRYPT_COST", "12")
	app := testutil.NewApp(t)
	handoff.SetNode(app, replica{})
	var saves int
	app.OnModelUpdate().BindFunc(func(e *core.ModelEvent) error {
		saves++
		return e.Next()
	})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if saves != 0 || app.Settings().Meta.AppName == "Replica's own name" {
		t.Fatalf("a replica saved %d models at start-up (app name %q)", saves, app.Settings().Meta.AppName)
	}
}
