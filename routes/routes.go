// Package routes holds Linkbase's custom HTTP endpoints. Register is the one
// list of every route; each endpoint lives in its own file with its request
// form.
package routes

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/metrics"
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
	metrics.Bind(app)
	bindSessionCookies(app)
	keys := newPasskeyRoutes(app)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Unbind(apis.DefaultCorsMiddlewareId)
		se.Router.Bind(requestID(), cors(origins), loadSession(origins), securityHeaders(), retryAfter(), signupHint())

		api := se.Router.Group("/api")
		requireUser := apis.RequireAuth(schema.Users)
		authBody := apis.BodyLimit(authBodyLimit)

		api.GET("/metrics", metrics.Handle)
		api.GET("/openapi.json", handleOpenAPI)

		// Accounts and mail.
		api.POST("/register", handleRegister).Bind(refuseCrossSite(origins), authBody)
		api.POST("/login", handleLogin).Bind(refuseCrossSite(origins), authBody)
		api.POST("/logout", handleLogout).Bind(refuseCrossSite(origins), authBody)
		api.GET("/me", handleMe).Bind(requireUser)
		api.GET("/me/export", handleExport).Bind(requireUser)
		api.POST("/me/delete", handleDeleteAccount).Bind(requireUser, authBody)
		api.POST("/forgot-password", handleForgotPassword).Bind(authBody)
		api.POST("/reset-password", handleResetPassword).Bind(authBody)
		api.POST("/request-verification", handleRequestVerification).Bind(authBody)
		api.POST("/verify-email", handleVerifyEmail).Bind(authBody)

		// Passkeys.
		passkeyBody := apis.BodyLimit(passkeyBodyLimit)
		api.POST("/passkeys/register/options", keys.registerOptions).Bind(requireUser, authBody)
		api.POST("/passkeys/register", keys.register).Bind(requireUser, passkeyBody)
		api.GET("/passkeys", keys.list).Bind(requireUser)
		api.DELETE("/passkeys/{id}", keys.delete).Bind(requireUser)
		api.POST("/passkeys/login/options", keys.loginOptions).Bind(refuseCrossSite(origins), authBody)
		api.POST("/passkeys/login", keys.login).Bind(refuseCrossSite(origins), passkeyBody)

		// Referrals.
		se.Router.GET("/register", handleRegisterPage)
		api.GET("/referrals", handleReferrals).Bind(requireUser)
		api.GET("/referral-stats", handleReferralStats).Bind(requireUser)
		api.POST("/referral-code/regenerate", handleRegenerateCode).Bind(requireUser, authBody)
		api.GET("/referral-code/qr.png", handleReferralQR).Bind(requireUser)

		// Link-in-bio. GET /{username} hands names that are not profiles
		// to the static pb_public files.
		api.GET("/profiles/{username}", bio.handleProfileJSON)
		api.GET("/profiles/{username}/qr.png", bio.handleQR)
		api.GET("/profiles/{username}/theme.css", bio.handleThemeCSS)
		api.GET("/analytics", bio.handleAnalytics).Bind(requireUser)
		se.Router.GET("/l/{link_id}", bio.handleClick)
		se.Router.GET("/{username}", bio.handleProfilePage)

		// Pages: pb_public files at clean paths (an explicit path outranks
		// GET /{username}). /register and /{username} are rendered above.
		se.Router.GET("/login", servePage("login.html"))
		se.Router.GET("/forgot-password", servePage("forgot-password.html"))
		se.Router.GET("/reset-password", servePage("reset-password.html"))
		se.Router.GET("/verify-email", servePage("verify-email.html"))
		se.Router.GET("/confirm-email-change", servePage("confirm-email-change.html"))
		se.Router.GET("/oauth2-callback", servePage("oauth2-callback.html"))
		se.Router.GET("/dashboard", servePage("dashboard.html"))

		return se.Next()
	})
}
