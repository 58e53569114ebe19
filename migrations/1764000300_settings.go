package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// defaultRateLimits protect a fresh install without any configuration. They
// are ordinary PocketBase settings, so an admin can edit or relax them in
// the dashboard (Settings → Application → Rate limiting).
var defaultRateLimits = []core.RateLimitRule{
	{Label: "POST /api/login", MaxRequests: 10, Duration: 60},
	{Label: "POST /api/register", MaxRequests: 5, Duration: 60},
	{Label: "POST /api/forgot-password", MaxRequests: 3, Duration: 60},
	{Label: "POST /api/request-verification", MaxRequests: 3, Duration: 60},
	{Label: "POST /api/reset-password", MaxRequests: 10, Duration: 60},
	{Label: "*:auth", MaxRequests: 10, Duration: 60},
	{Label: "*:create", MaxRequests: 20, Duration: 5},
	{Label: "/api/batch", MaxRequests: 3, Duration: 1},
	{Label: "/api/", MaxRequests: 300, Duration: 10},
}

func init() {
	m.Register(func(app core.App) error {
		settings := app.Settings()
		if settings.Meta.AppName == "" || settings.Meta.AppName == "Acme" {
			settings.Meta.AppName = "Linkbase"
		}
		settings.RateLimits.Enabled = true
		settings.RateLimits.Rules = defaultRateLimits
		return app.Save(settings)
	}, nil)
}
