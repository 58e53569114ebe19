// Package routes holds Linkbase's custom HTTP endpoints. Register is the one
// list of every route; each endpoint lives in its own file with its request
// form.
package routes

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// authBodyLimit caps the body of the account endpoints, checked before any
// password is hashed.
const authBodyLimit = 16 << 10

// Register binds the session middleware and every custom route to app.
func Register(app core.App) {
	origins := allowedOriginsFromEnv()
	app.OnTerminate().BindFunc(drainMailsOnTerminate)
	bio := registerLinkbio(app)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Unbind(apis.DefaultCorsMiddlewareId)
		se.Router.Bind(cors(origins), loadSession(origins), securityHeaders(), retryAfter())

		api := se.Router.Group("/api")
		api.POST("/register", handleRegister).Bind(refuseCrossSite(origins), apis.BodyLimit(authBodyLimit))
		api.POST("/login", handleLogin).Bind(refuseCrossSite(origins), apis.BodyLimit(authBodyLimit))
		api.POST("/logout", handleLogout).Bind(refuseCrossSite(origins), apis.BodyLimit(authBodyLimit))
		api.GET("/me", handleMe).Bind(apis.RequireAuth(schema.Users))
		api.POST("/forgot-password", handleForgotPassword).Bind(apis.BodyLimit(authBodyLimit))
		api.POST("/reset-password", handleResetPassword).Bind(apis.BodyLimit(authBodyLimit))
		api.POST("/request-verification", handleRequestVerification).Bind(apis.BodyLimit(authBodyLimit))
		api.POST("/verify-email", handleVerifyEmail).Bind(apis.BodyLimit(authBodyLimit))
		se.Router.GET("/reset-password", servePage("reset-password.html"))
		se.Router.GET("/verify-email", servePage("verify-email.html"))
		registerReferralRoutes(se, api)

		// Link-in-bio (issue 5). GET /{username} falls back to main's static
		// pb_public route for names that are not profiles.
		api.GET("/profiles/{username}", bio.handleProfileJSON)
		api.GET("/profiles/{username}/qr.png", bio.handleQR)
		api.GET("/profiles/{username}/theme.css", bio.handleThemeCSS)
		api.GET("/analytics", bio.handleAnalytics).Bind(apis.RequireAuth(schema.Users))
		se.Router.GET("/l/{link_id}", bio.handleClick)
		se.Router.GET("/{username}", bio.handleProfilePage)

		return se.Next()
	})
}
