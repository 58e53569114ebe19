package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
)

// registerReferralLists keeps the cached referral lists right when a
// referred user changes: the list shows their username (or "" once they
// are gone) without any write to the referral row itself.
func registerReferralLists(app core.App) {
	invalidate := func(e *core.RecordEvent) error {
		if referrer := e.Record.GetString(schema.UserReferredBy); referrer != "" {
			refstore.InvalidateLists(e.App, referrer)
		}
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(schema.Users).BindFunc(invalidate)
	app.OnRecordAfterDeleteSuccess(schema.Users).BindFunc(invalidate)
}
