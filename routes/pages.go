package routes

import (
	"github.com/pocketbase/pocketbase/core"

	pbpublic "linkbase/pb_public"
)

// servePage serves one page of pb_public under a clean path, uncached (the
// dashboard is per user, and pages change with each release). Some pages
// carry a token in their query string: no-referrer keeps it from leaking
// to the scripts they load or the links they show, and costs the others
// nothing.
func servePage(file string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		h := e.Response.Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		return e.FileFS(pbpublic.FS(), file)
	}
}
