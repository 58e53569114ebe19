package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// oauth2CreateRule opens record creation on users to PocketBase's OAuth2
// flow alone (@request.context is set by PocketBase, never by a client):
// auth-with-oauth2 creates a new account through an internal create
// request, which the closed rule answered with 403. The body is the
// OAuth2 hook's own, built from the provider's data; the guards repeat
// the update rule's in case anything else ever fills it. Every other
// sign-up goes through POST /api/register.
const oauth2CreateRule = `@request.context = "oauth2"` +
	" && @request.body.credits:isset = false" +
	" && @request.body.referral_code:isset = false" +
	" && @request.body.verified:isset = false" +
	" && @request.body.disabled:isset = false"

// accountRateLimits: OAuth2 sign-ups get POST /api/register's per-IP limit
// (their internal create request carries the users:create label), and the
// new account endpoints get limits like the login's.
var accountRateLimits = []core.RateLimitRule{
	{Label: "users:create", MaxRequests: 5, Duration: 60},
	{Label: "POST /api/passkeys/login", MaxRequests: 10, Duration: 60},
	{Label: "POST /api/passkeys/login/options", MaxRequests: 30, Duration: 60},
	{Label: "POST /api/me/delete", MaxRequests: 5, Duration: 60},
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}
		users.CreateRule = types.Pointer(oauth2CreateRule)
		users.Fields.Add(&core.BoolField{Name: schema.UserNotifyReferrals})
		if err := app.Save(users); err != nil {
			return err
		}
		// Default true: existing accounts opt in as new ones do.
		if _, err := app.DB().Update(schema.Users, dbx.Params{schema.UserNotifyReferrals: true}, nil).Execute(); err != nil {
			return err
		}

		settings := app.Settings()
		for _, rule := range accountRateLimits {
			if !hasRateLimit(settings.RateLimits.Rules, rule.Label) {
				settings.RateLimits.Rules = append(settings.RateLimits.Rules, rule)
			}
		}
		return app.Save(settings)
	}, nil)
}

func hasRateLimit(rules []core.RateLimitRule, label string) bool {
	for _, r := range rules {
		if r.Label == label {
			return true
		}
	}
	return false
}
