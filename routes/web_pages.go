package routes

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	pbpublic "linkbase/pb_public"
)

// webPage is a static page of pb_public served at a clean path.
type webPage struct {
	path, file string
	// secretInURL marks pages opened from a mailed link with a token in its
	// query: they send no Referer anywhere.
	secretInURL bool
}

// webPages are every static page; the server-rendered ones (/register,
// /{username}) have their own handlers.
var webPages = []webPage{
	{path: "/login", file: "login.html"},
	{path: "/forgot-password", file: "forgot-password.html"},
	{path: "/dashboard", file: "dashboard.html"},
}

// registerWebPages binds GET for every static page. An explicit route
// outranks the profile route /{username} and main's /{path...}.
func registerWebPages(r *router.Router[*core.RequestEvent]) {
	for _, p := range webPages {
		r.GET(p.path, servePublicPage(p))
	}
}

// servePublicPage serves one file of pb_public (the embedded copy, or
// LINKBASE_PUBLIC_DIR) with the security headers every page gets from
// securityHeaders, and no caching: the pages change with each release and
// the dashboard is per user.
func servePublicPage(p webPage) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		e.Response.Header().Set("Cache-Control", "no-store")
		if p.secretInURL {
			e.Response.Header().Set("Referrer-Policy", "no-referrer")
		}
		return e.FileFS(pbpublic.FS(), p.file)
	}
}
