package hooks

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
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

func registerSettings(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if err := applySettingsFromEnv(e.App); err != nil {
			return err
		}
		return applyLocalTrialFromEnv(e.App)
	})
}

// applySettingsFromEnv saves the overrides, so the dashboard shows the
// values in force; it saves nothing when no variable is set.
func applySettingsFromEnv(app core.App) error {
	settings := app.Settings()
	changed := false
	for _, o := range settingsFromEnv {
		if v, ok := os.LookupEnv(o.env); ok && v != "" {
			o.apply(settings, v)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := app.Save(settings); err != nil {
		return fmt.Errorf("applying settings from the environment: %w", err)
	}
	return nil
}
