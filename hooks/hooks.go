// Package hooks binds the rules that must hold for every write, however it
// arrives (custom route, collection API, dashboard, tests), to PocketBase's
// model events.
package hooks

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

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
	registerAuthPaths(app)
	registerOAuth2(app)
	registerAccounts(app)
}

// mergeFieldErrors reports our field errors together with PocketBase's
// (next), so a client sees every bad field at once; PocketBase's own error
// wins for a field both found wrong.
func mergeFieldErrors(ours validation.Errors, next error) error {
	var theirs validation.Errors
	if errors.As(next, &theirs) {
		for name, fe := range ours {
			if _, ok := theirs[name]; !ok {
				theirs[name] = fe
			}
		}
		return theirs
	}
	if next != nil {
		return next
	}
	if len(ours) > 0 {
		return ours
	}
	return nil
}
