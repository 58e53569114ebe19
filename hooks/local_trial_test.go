package hooks_test

import (
	"testing"

	"linkbase/refstore"
	"linkbase/testutil"
)

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

// TestLocalTrialEndsWithAPublicAppURL: an admin who sets the public app
// URL in the dashboard ends the trial without a restart.
func TestLocalTrialEndsWithAPublicAppURL(t *testing.T) {
	app := testutil.NewApp(t)
	if err := refstore.EnableLocalTrial(app); err != nil {
		t.Fatal(err)
	}
	settings := app.Settings()
	settings.Meta.AppURL = "https://links.example.com"
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if refstore.InLocalTrial(app) {
		t.Fatal("still in a local trial with a public app URL")
	}
}
