package routes

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/linkbio"
)

// orderBodyLimit caps POST /api/links/order: 100 ids of 15 characters
// with JSON quoting take under 2 KiB.
const orderBodyLimit = 16 << 10

// handleLinkOrder serves POST /api/links/order {"ids": [...]}: the
// logged-in user's links (blocks of every kind) take the order of ids,
// which lists each of them exactly once, in one transaction. It answers
// the links in their new order, as the collection API shows them.
func (srv *server) handleLinkOrder(e *core.RequestEvent) error {
	var ids []string
	errs, err := readJSON(e, map[string]any{"ids": &ids})
	if err != nil {
		return err
	}
	if len(errs) == 0 && ids == nil {
		errs["ids"] = apperr.Required // missing or null; [] is an order of no links
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to reorder the links.", errs)
	}
	links, err := srv.Links.Reorder(e.Auth.Id, ids)
	if errors.Is(err, linkbio.ErrOrder) {
		return e.BadRequestError("Failed to reorder the links.", validation.Errors{"ids": apperr.Field(err)})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": links})
}
