package routes

import (
	"net/http"
	"strings"
)

// wantsHTML reports whether a request comes from a browser navigating to a
// page (it accepts text/html), rather than from an API client: such a
// request for a profile that is not there gets linkbio.NotFoundPage.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
