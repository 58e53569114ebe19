package routes

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/refstore"
	"linkbase/schema"
)

// recordLoginIP keeps the salted hash of the client IP of a user's latest
// login, a fraud signal for the referrals they make. A direct update: it
// is no change of the account, so it runs no hooks and leaves "updated"
// alone. Failure only loses a signal, so it is logged, not returned.
func recordLoginIP(e *core.RequestEvent, user *core.Record) {
	ipHash, err := refstore.HashIP(e.App, e.RealIP())
	if err == nil {
		_, err = e.App.DB().Update(schema.Users, dbx.Params{
			schema.UserLoginIPHash: ipHash,
			schema.UserLoginAt:     types.NowDateTime().String(),
		}, dbx.HashExp{"id": user.Id}).Execute()
	}
	if err != nil {
		e.App.Logger().Warn("recording the login IP hash", "error", err)
	}
}
