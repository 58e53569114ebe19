package routes

import (
	"os"

	"github.com/pocketbase/pocketbase/core"
)

// publicDir is the folder of the web pages; main.go serves the rest of it
// at /{path...} from the same variable.
func publicDir() string {
	if dir := os.Getenv("LINKBASE_PUBLIC_DIR"); dir != "" {
		return dir
	}
	return "pb_public"
}

// servePage serves one page of pb_public under a clean path. The account
// pages carry a token in their query string: no-referrer keeps it from
// leaking to the scripts they load or the links they show.
func servePage(file string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		h := e.Response.Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		return e.FileFS(os.DirFS(publicDir()), file)
	}
}
