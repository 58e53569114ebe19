package routes

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/accountstore"
)

// hashingRoutes are PocketBase's own routes whose handlers hash or compare
// a password before any hook of ours could step in (sign-up and password
// change hash while the body is read; the email change compares the
// password while validating its form; OTPs are bcrypt hashes too; an
// OAuth2 sign-up hashes a random password), each with what tells that a
// request will hash. auth-with-password is held in its request hook
// instead (hooks/users.go), where the login back-off is checked before the
// slot is taken, so that a flood the back-off refuses never waits for one.
var hashingRoutes = map[string]func(*core.RequestEvent) bool{
	"POST /api/collections/{collection}/records":                bodyHasPassword,
	"PATCH /api/collections/{collection}/records/{id}":          bodyHasPassword,
	"POST /api/collections/{collection}/confirm-password-reset": always,
	"POST /api/collections/{collection}/confirm-email-change":   always,
	"POST /api/collections/{collection}/request-otp":            always,
	"POST /api/collections/{collection}/auth-with-otp":          always,
	"POST /api/collections/{collection}/auth-with-oauth2":       always,
}

// hashInSlots runs the handlers of hashingRoutes in the hashing slots of
// accountstore.Passwords, under the same bound as our own routes: past it,
// 503 with Retry-After at once; where the handler compares a typed
// password with an account's (passwordOwner), under the account's login
// back-off too. It runs after PocketBase's rate limits, which are route
// middlewares of a lower priority.
func (srv *server) hashInSlots() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "linkbaseHashInSlots",
		Func: func(e *core.RequestEvent) error {
			hashes, ok := hashingRoutes[e.Request.Pattern]
			if !ok || !hashes(e) {
				return e.Next()
			}
			collection, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
			if err != nil || !collection.IsAuth() {
				return e.Next() // PocketBase answers 404, or no password is involved
			}
			hashing, err := srv.Passwords.Admit(collection)
			if err != nil {
				return accountstore.Busy(e, err)
			}
			defer hashing.Cancel()
			// A typed password compared with an account's draws on that
			// account's login back-off, as on the login routes.
			owner, err := passwordOwner(e, collection)
			if err != nil || owner == nil {
				return accountstore.Busy(e, hashing.Do(e.Next))
			}
			guardKey, err := srv.Logins.Attempt(e, owner, "")
			if err != nil {
				return err
			}
			if err := accountstore.Busy(e, hashing.Do(e.Next)); err != nil {
				return err
			}
			srv.Logins.Succeeded(e, guardKey)
			return nil
		},
	}
}

// passwordOwner is the account whose password the request's handler will
// compare with one the client typed, or nil: the email change's (its
// token names it), or the record's own when its holder changes its
// password with oldPassword (a request that may not update the record
// compares nothing, and so spends nothing of its budget).
func passwordOwner(e *core.RequestEvent, collection *core.Collection) (*core.Record, error) {
	info, err := e.RequestInfo()
	if err != nil {
		return nil, err
	}
	switch e.Request.Pattern {
	case "POST /api/collections/{collection}/confirm-email-change":
		token, _ := info.Body["token"].(string)
		owner, err := e.App.FindAuthRecordByToken(token, core.TokenTypeEmailChange)
		if err != nil || owner.Collection().Id != collection.Id {
			return nil, nil // PocketBase answers the invalid token
		}
		return owner, nil
	case "PATCH /api/collections/{collection}/records/{id}":
		if old, _ := info.Body["oldPassword"].(string); old == "" || info.Auth == nil ||
			info.Auth.Collection().Id != collection.Id || info.Auth.Id != e.Request.PathValue("id") {
			return nil, nil
		}
		return info.Auth, nil
	}
	return nil, nil
}

func always(*core.RequestEvent) bool { return true }

// bodyHasPassword reports whether a record write carries a password (or
// the old one, compared on a change).
func bodyHasPassword(e *core.RequestEvent) bool {
	info, err := e.RequestInfo()
	if err != nil {
		return false
	}
	for _, name := range []string{core.FieldNamePassword, "oldPassword"} {
		if v, _ := info.Body[name].(string); v != "" {
			return true
		}
	}
	return false
}
