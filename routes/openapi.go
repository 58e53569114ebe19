package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/apidoc"
)

// handleOpenAPI serves the OpenAPI description of the custom endpoints,
// its server being the configured app URL.
func handleOpenAPI(e *core.RequestEvent) error {
	doc, err := apidoc.ForServer(e.App.Settings().Meta.AppURL)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.Blob(http.StatusOK, "application/json", doc)
}
