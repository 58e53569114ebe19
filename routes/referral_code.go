package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
)

// handleRegenerateCode gives the logged-in user a new referral code; the
// old one answers referral_expired from then on.
func handleRegenerateCode(e *core.RequestEvent) error {
	if err := refstore.RegenerateCode(e.App, e.Auth); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, newMe(e.App, e.Auth))
}
