package routes

import (
	"github.com/pocketbase/pocketbase/core"

	pbpublic "linkbase/pb_public"
)

// servePage serves one page of pb_public under a clean path. The account
// pages carry a token in their query string: no-referrer keeps it from
// leaking to the scripts they load or the links they show.
func servePage(file string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		h := e.Response.Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		return e.FileFS(pbpublic.FS(), file)
	}
}
