package refstore_test

import (
	"testing"

	"linkbase/refstore"
	"linkbase/testutil"
)

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
