package routes

import (
	"net/http"
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/linkbio"
)

// maxAnalyticsDays is the longest range GET /api/analytics answers.
const maxAnalyticsDays = 365

// handleAnalytics serves GET /api/analytics?days=N for the logged-in user:
// the daily rollups of the last N UTC days (today included).
func (srv *server) handleAnalytics(e *core.RequestEvent) error {
	days := 30
	if raw := e.Request.URL.Query().Get("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxAnalyticsDays {
			return e.BadRequestError("Invalid analytics range.", validation.Errors{"days": apperr.Field(linkbio.ErrDaysInvalid)})
		}
		days = n
	}
	a, err := srv.Links.Analytics(e.Auth.Id, days)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, a)
}
