package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// registerAuthPaths holds PocketBase's other login routes to the rule that
// a disabled account gets the answer of wrong credentials: the users auth
// rule ("disabled = false") would answer 403 only after the credentials
// proved right, an oracle for them. (auth-with-password is guarded in
// guardSDKLogin, OAuth2 in the OAuth2 hook.)
func registerAuthPaths(app core.App) {
	app.OnRecordAuthWithOTPRequest(schema.Users).BindFunc(func(e *core.RecordAuthWithOTPRequestEvent) error {
		if isDisabled(e.Record) {
			return e.BadRequestError("Invalid or expired OTP", nil) // PocketBase's answer to a wrong OTP
		}
		return e.Next()
	})
}

func isDisabled(user *core.Record) bool {
	return user != nil && user.GetBool(schema.UserDisabled)
}
