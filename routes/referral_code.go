package routes

import (
	"crypto/rand"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// handleRegenerateCode gives the logged-in user a new referral code; the
// users hook retires the old one in the same transaction, so it answers
// referral_expired from then on.
func handleRegenerateCode(e *core.RequestEvent) error {
	user := e.Auth
	err := e.App.RunInTransaction(func(tx core.App) error {
		code, err := refstore.UniqueCode(tx, func() (string, error) { return referral.NewCode(rand.Reader) })
		if err != nil {
			return err
		}
		user.Set(schema.UserReferralCode, code)
		return tx.Save(user)
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, newMe(e.App, user))
}
