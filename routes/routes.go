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

		return se.Next()
	})
}
