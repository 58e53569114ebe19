package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/redirect"
	"linkbase/schema"
)

// loginPage serves GET /login, whose ?next= says where to go once logged
// in. A browser that already has a session goes there at once, but only
// to a path of the app's own origin (redirect.Local, the rule the page's
// script follows too), so a crafted link can never send a logged-in user
// to another site.
func loginPage() func(*core.RequestEvent) error {
	page := servePage("login.html")
	return func(e *core.RequestEvent) error {
		if e.Auth == nil || e.Auth.Collection().Name != schema.Users {
			return page(e)
		}
		target := redirect.Local(e.Request.URL.Query().Get("next"), e.App.Settings().Meta.AppURL, "/dashboard")
		e.Response.Header().Set("Cache-Control", "no-store")
		return e.Redirect(http.StatusSeeOther, target)
	}
}
