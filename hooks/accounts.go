package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// registerAccounts binds the account rules that are not about referrals:
// new users start with referral mails on (notify_referrals defaults to
// true; a BoolField has no default of its own, so every new account gets
// true and the user turns it off).
func registerAccounts(app core.App) {
	app.OnRecordCreate(schema.Users).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set(schema.UserNotifyReferrals, true)
		return e.Next()
	})
}
