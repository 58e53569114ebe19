package routes

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

var corsMethods = []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodPost, http.MethodDelete}

// cors replaces PocketBase's CORS middleware: any origin may call the API
// without credentials (the SDK's header tokens need none), as PocketBase
// allows by default; only the configured origins get credentialed CORS, so
// the session cookie is never offered to "*".
func cors(allowed origins) *hook.Handler[*core.RequestEvent] {
	public := apis.CORS(apis.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: corsMethods})
	credentialed := apis.CORS(apis.CORSConfig{
		AllowOrigins: slices.Sorted(func(yield func(string) bool) {
			for o := range allowed {
				if !yield(o) {
					return
				}
			}
		}),
		AllowMethods:     corsMethods,
		AllowCredentials: true,
	})
	return &hook.Handler[*core.RequestEvent]{
		Id:       "linkbaseCORS",
		Priority: apis.DefaultCorsMiddlewarePriority,
		Func: func(e *core.RequestEvent) error {
			if allowed[e.Request.Header.Get("Origin")] {
				return credentialed.Func(e)
			}
			return public.Func(e)
		},
	}
}
