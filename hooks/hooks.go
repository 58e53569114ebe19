// Package hooks binds the rules that must hold for every write, however it
// arrives (custom route, collection API, dashboard, tests), to PocketBase's
// model events.
package hooks

import "github.com/pocketbase/pocketbase/core"

// Register binds every Linkbase hook to app.
func Register(app core.App) {
	registerSettings(app)
	registerUsers(app)
	registerOutbox(app)
	registerReferrals(app)
	registerProfile(app)
	registerLinks(app)
	registerReferralLists(app)
	registerPasswordCost(app)
}
