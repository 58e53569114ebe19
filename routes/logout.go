package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

func handleLogout(e *core.RequestEvent) error {
	var everywhere bool
	errs, err := readJSON(e, map[string]any{"everywhere": &everywhere})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to log out.", errs)
	}
	if everywhere {
		if e.Auth == nil {
			return e.UnauthorizedError("Log in to log out everywhere.", nil)
		}
		// A new token key invalidates every token signed with the old one.
		e.Auth.RefreshTokenKey()
		if err := e.App.Save(e.Auth); err != nil {
			return e.InternalServerError("", err)
		}
	}
	clearSessionCookies(e)
	return e.NoContent(http.StatusNoContent)
}
