package routes

import (
	"github.com/pocketbase/pocketbase/core"
)

// recordLoginIP keeps the login's IP hash for fraud signals; failing only
// loses a signal, so it is logged rather than failing the login.
func (srv *server) recordLoginIP(e *core.RequestEvent, user *core.Record) {
	if err := srv.Referrals.RecordLogin(e.App, user.Id, e.RealIP()); err != nil {
		e.App.Logger().Warn("recording the login IP hash", "error", err)
	}
}
