package hooks

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// bindBatch keeps passwords out of PocketBase's batch API (off unless an
// admin turns it on): a batch runs its record writes inside PocketBase,
// past the middleware that hashes in bounded slots (503 when the queue is
// too long) and holds a password compared with oldPassword to the login
// back-off, so a batch could hash 50 passwords at once or guess one 50
// times. A batch that sets or changes an auth record's password is
// refused whole, before any of it runs; a superuser's passes (an import).
func bindBatch(app core.App) {
	app.OnBatchRequest().BindFunc(func(e *core.BatchRequestEvent) error {
		if e.HasSuperuserAuth() {
			return e.Next()
		}
		for _, r := range e.Batch {
			if setsPassword(e.App, r) {
				return router.NewBadRequestError("Passwords cannot be set or changed in a batch request; send the request on its own.", nil)
			}
		}
		return e.Next()
	})
}

// setsPassword reports whether r writes a record of an auth collection
// with a password (or the old one, compared on a change).
func setsPassword(app core.App, r *core.InternalRequest) bool {
	rest, ok := strings.CutPrefix(strings.SplitN(r.URL, "?", 2)[0], "/api/collections/")
	if !ok {
		return false
	}
	name, _, _ := strings.Cut(rest, "/")
	collection, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil || !collection.IsAuth() {
		return false
	}
	for _, field := range []string{core.FieldNamePassword, "oldPassword"} {
		if v, _ := r.Body[field].(string); v != "" {
			return true
		}
	}
	return false
}
