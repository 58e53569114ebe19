package routes

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

// handleReferralQR serves GET /api/referral-code/qr.png: a QR code of the
// logged-in user's referral link, for the dashboard to show and download.
// The link is built from the configured app URL, never the Host header.
// The dashboard adds ?code= so a new code is a new URL; the image is
// private to the user and cacheable for a while.
func (srv *server) handleReferralQR(e *core.RequestEvent) error {
	link := referral.Link(e.App.Settings().Meta.AppURL, e.Auth.GetString(schema.UserReferralCode))
	png, err := srv.Links.QR(link)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, max-age=3600")
	return e.Blob(http.StatusOK, "image/png", png)
}
