package hooks

import (
	"fmt"
	"os"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
)

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
