package routes

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
	"linkbase/referral"
	"linkbase/schema"
)

// me is the account as its owner sees it (API.md "Objects").
type me struct {
	ID           string `json:"id"`
	Email        string `json:"email"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Bio          string `json:"bio"`
	AvatarURL    string `json:"avatar_url"`
	Theme        any    `json:"theme"` // the link-in-bio theme, as stored (see README)
	Verified     bool   `json:"verified"`
	ReferralCode string `json:"referral_code"`
	ReferralLink string `json:"referral_link"`
	Credits      int    `json:"credits"`
	Created      string `json:"created"`
}

// newMe builds the me object; links come from the configured app URL,
// never from the request's Host header.
func newMe(app core.App, user *core.Record) me {
	appURL := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	code := user.GetString(schema.UserReferralCode)
	return me{
		ID:           user.Id,
		Email:        user.Email(),
		Username:     user.GetString(schema.UserUsername),
		DisplayName:  user.GetString(schema.UserDisplayName),
		Bio:          user.GetString(schema.UserBio),
		AvatarURL:    linkstore.AvatarURL(appURL, user, ""),
		Theme:        user.Get(schema.UserTheme),
		Verified:     user.Verified(),
		ReferralCode: code,
		ReferralLink: referral.Link(appURL, code),
		Credits:      user.GetInt(schema.UserCredits),
		Created:      user.GetDateTime("created").Time().UTC().Format(time.RFC3339),
	}
}

func handleMe(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, newMe(e.App, e.Auth))
}
