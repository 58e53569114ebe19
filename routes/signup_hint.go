package routes

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/schema"
)

// signupHint answers the SDK's users.create (POST
// /api/collections/users/records) from anyone but a superuser with a 403
// that says where sign-up is. The collection's create rule admits only
// PocketBase's OAuth2 flow, and would answer a bare 400 otherwise.
func signupHint() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "linkbaseSignupHint",
		Func: func(e *core.RequestEvent) error {
			if e.Request.Method == http.MethodPost && !e.HasSuperuserAuth() && isUsersCreatePath(e) {
				return e.ForbiddenError("Sign up with POST /api/register (or OAuth2 through auth-with-oauth2).", nil)
			}
			return e.Next()
		},
	}
}

func isUsersCreatePath(e *core.RequestEvent) bool {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(e.Request.URL.Path, "/"), "/api/collections/")
	if !ok {
		return false
	}
	name, ok := strings.CutSuffix(rest, "/records")
	if !ok || strings.Contains(name, "/") {
		return false
	}
	if name == schema.Users {
		return true
	}
	users, err := e.App.FindCachedCollectionByNameOrId(schema.Users)
	return err == nil && name == users.Id
}
