package hooks

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/handoff"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
)

// settingsFromEnv are the environment variables that override PocketBase
// settings at start-up, so a deploy can be configured without the dashboard.
var settingsFromEnv = []struct {
	env   string
	apply func(s *core.Settings, value string)
}{
	{"LINKBASE_APP_URL", func(s *core.Settings, v string) { s.Meta.AppURL = v }},
	{"LINKBASE_APP_NAME", func(s *core.Settings, v string) { s.Meta.AppName = v }},
	// SMTP is enabled by setting a host; a bad port fails the settings'
	// validation at start-up rather than silently keeping the old one.
	{"LINKBASE_SMTP_HOST", func(s *core.Settings, v string) { s.SMTP.Host, s.SMTP.Enabled = v, true }},
	{"LINKBASE_SMTP_PORT", func(s *core.Settings, v string) { s.SMTP.Port, _ = strconv.Atoi(v) }},
	{"LINKBASE_SMTP_USERNAME", func(s *core.Settings, v string) { s.SMTP.Username = v }},
	{"LINKBASE_SMTP_PASSWORD", func(s *core.Settings, v string) { s.SMTP.Password = v }},
	{"LINKBASE_SMTP_TLS", func(s *core.Settings, v string) { s.SMTP.TLS, _ = strconv.ParseBool(v) }},
	{"LINKBASE_MAIL_FROM_ADDRESS", func(s *core.Settings, v string) { s.Meta.SenderAddress = v }},
	{"LINKBASE_MAIL_FROM_NAME", func(s *core.Settings, v string) { s.Meta.SenderName = v }},
	// The header(s) a reverse proxy sets to the client's address, comma
	// separated: without one every client has the proxy's address.
	{"LINKBASE_TRUSTED_PROXY_HEADERS", func(s *core.Settings, v string) {
		s.TrustedProxy.Headers = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}},
}

// bindSettings binds the app-wide hooks: the environment's overrides of
// settings (and of the users' bcrypt cost, and a local trial) applied at
// start-up, and the mail outbox used while SMTP is not configured.
func bindSettings(app core.App, s *stores.Set) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if err := applySettingsFromEnv(e.App); err != nil {
			return err
		}
		if err := applyPasswordCostFromEnv(e.App); err != nil {
			return err
		}
		return applyLocalTrialFromEnv(e.App)
	})
	app.OnMailerSend().Bind(&hook.Handler[*core.MailerEvent]{Id: "linkbaseOutbox", Func: s.Mail.Outbox})
}

// applySettingsFromEnv saves the overrides, so the dashboard shows the
// values in force; it saves nothing when no variable is set.
func applySettingsFromEnv(app core.App) error {
	settings, err := app.Settings().Clone() // the live ones change only once saved
	if err != nil {
		return err
	}
	changed := false
	for _, o := range settingsFromEnv {
		if v, ok := os.LookupEnv(o.env); ok && v != "" {
			o.apply(settings, v)
			changed = true
		}
	}
	if !changed || !writesHere(app, "the settings from the environment") {
		return nil
	}
	if err := app.Save(settings); err != nil {
		return fmt.Errorf("applying settings from the environment: %w", err)
	}
	return nil
}

// writesHere reports whether app may save the start-up overrides: not on a
// cluster replica, which cannot write and follows the primary's settings
// (give the variables to the primary). It says so in the log.
func writesHere(app core.App, what string) bool {
	if !handoff.IsReplica(app) {
		return true
	}
	app.Logger().Warn("cluster: a replica does not save "+what+"; set them on the primary, whose settings every node follows", "variables", what)
	return false
}

// passwordCostEnv overrides, at start-up, the bcrypt cost of the users
// collection's password field (dashboard: Collections → users → password
// → "Bcrypt cost"). Each step doubles the work of every login and sign-up
// (BENCHMARKS.md): PocketBase's default 10 costs about 70 ms of one CPU.
const passwordCostEnv = "LINKBASE_BCRYPT_COST"

// Bounds of the override: below 10 falls short of OWASP's password
// storage advice; above 14 a single hash takes over a second here, which
// turns every login form into a lever for exhausting the CPUs.
const (
	minPasswordCost = 10
	maxPasswordCost = 14
)

// applyPasswordCostFromEnv saves the cost into the collection, so the
// dashboard shows the value in force. Stored hashes keep the cost they
// were made with (bcrypt records it); new passwords get the new one. A
// value out of bounds fails the start-up rather than being ignored.
func applyPasswordCostFromEnv(app core.App) error {
	v, ok := os.LookupEnv(passwordCostEnv)
	if !ok || v == "" {
		return nil
	}
	cost, err := strconv.Atoi(v)
	if err != nil || cost < minPasswordCost || cost > maxPasswordCost {
		return fmt.Errorf("%s=%q: want a whole number from %d to %d", passwordCostEnv, v, minPasswordCost, maxPasswordCost)
	}
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		return err
	}
	field, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField)
	if !ok || field.Cost == cost || !writesHere(app, passwordCostEnv) {
		return nil
	}
	field.Cost = cost
	if err := app.Save(users); err != nil {
		return fmt.Errorf("applying %s: %w", passwordCostEnv, err)
	}
	return nil
}

// localTrialEnv turns on a local trial (refstore.EnableLocalTrial): on one
// machine every sign-up comes from 127.0.0.1, and without it every
// referral between them is held as "same IP as the referrer".
const localTrialEnv = "LINKBASE_LOCAL_TRIAL"

// applyLocalTrialFromEnv starts a local trial when asked to; a value that
// is not a boolean, or a trial on an app whose URL is not local, fails the
// start-up rather than being ignored. It runs after the settings from the
// environment, so LINKBASE_APP_URL counts.
func applyLocalTrialFromEnv(app core.App) error {
	v, ok := os.LookupEnv(localTrialEnv)
	if !ok || v == "" {
		return nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%s=%q: want 1 or 0 (true or false)", localTrialEnv, v)
	}
	if !on {
		return nil
	}
	if err := refstore.EnableLocalTrial(app); err != nil {
		return fmt.Errorf("%s: %w; the app URL is %q", localTrialEnv, err, app.Settings().Meta.AppURL)
	}
	return nil
}
