// Package routes holds Linkbase's custom HTTP endpoints. Register is the one
// list of every route; each endpoint lives in its own file with its request
// form.
package routes

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/metrics"
	pbpublic "linkbase/pb_public"
	"linkbase/schema"
	"linkbase/stores"
)

// authBodyLimit caps the body of the account endpoints, checked before any
// password is hashed.
const authBodyLimit = 16 << 10

// server holds what the endpoints share: the app's stores, and the static
// handler that single-segment paths which are not profiles fall through
// to.
type server struct {
	*stores.Set
	static func(*core.RequestEvent) error // pb_public's files, behind GET /{path...}
}

// Register binds the session middleware and every custom route to app,
// using the stores of s.
func Register(app core.App, s *stores.Set) {
	srv := &server{Set: s, static: apis.Static(pbpublic.FS(), false)}
	origins := allowedOriginsFromEnv()
	metrics.Bind(app)
	srv.bindSessionCookies(app)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Unbind(apis.DefaultCorsMiddlewareId)
		se.Router.Bind(requestID(), cors(origins), srv.loadSession(origins), securityHeaders(), retryAfter(), signupHint(), srv.hashInSlots())
		if srv.RateLimits != nil {
			se.Router.Bind(srv.sharedRateLimit())
		}

		api := se.Router.Group("/api")
		requireUser := apis.RequireAuth(schema.Users)
		authBody := apis.BodyLimit(authBodyLimit)

		api.GET("/metrics", metrics.Handle)
		api.GET("/openapi.json", handleOpenAPI)

		// Accounts and mail.
		api.POST("/register", srv.handleRegister).Bind(refuseCrossSite(origins), authBody)
		api.POST("/login", srv.handleLogin).Bind(refuseCrossSite(origins), authBody)
		api.POST("/logout", handleLogout).Bind(refuseCrossSite(origins), authBody)
		api.GET("/me", handleMe).Bind(requireUser)
		api.GET("/me/export", srv.handleExport).Bind(requireUser)
		api.POST("/me/delete", srv.handleDeleteAccount).Bind(requireUser, authBody)
		api.POST("/forgot-password", srv.handleForgotPassword).Bind(authBody)
		api.POST("/reset-password", srv.handleResetPassword).Bind(authBody)
		api.POST("/request-verification", srv.handleRequestVerification).Bind(authBody)
		api.POST("/verify-email", handleVerifyEmail).Bind(authBody)

		// Passkeys.
		passkeyBody := apis.BodyLimit(passkeyBodyLimit)
		api.POST("/passkeys/register/options", srv.handlePasskeyRegisterOptions).Bind(requireUser, authBody)
		api.POST("/passkeys/register", srv.handlePasskeyRegister).Bind(requireUser, passkeyBody)
		api.GET("/passkeys", srv.handlePasskeys).Bind(requireUser)
		api.DELETE("/passkeys/{id}", srv.handlePasskeyDelete).Bind(requireUser)
		api.POST("/passkeys/login/options", srv.handlePasskeyLoginOptions).Bind(refuseCrossSite(origins), authBody)
		api.POST("/passkeys/login", srv.handlePasskeyLogin).Bind(refuseCrossSite(origins), passkeyBody)

		// The public routes a flood hits (a viral profile, a campaign's
		// link) keep PocketBase's request log for their errors only: at
		// about 430 bytes an entry, logging every success fell 215,000
		// entries behind in 60 s of clicks and grew the heap without bound.
		// Their counts are in /api/metrics.
		hot := apis.SkipSuccessActivityLog()

		// Referrals.
		se.Router.GET("/register", srv.handleRegisterPage).Bind(hot)
		api.GET("/referrals", srv.handleReferrals).Bind(requireUser)
		api.GET("/referral-stats", srv.handleReferralStats).Bind(requireUser)
		api.POST("/referral-code/regenerate", handleRegenerateCode).Bind(requireUser, authBody)
		api.GET("/referral-code/qr.png", srv.handleReferralQR).Bind(requireUser, hot)
		api.POST("/admin/referral-reviews", handleReferralReviews).Bind(apis.RequireSuperuserAuth(), apis.BodyLimit(reviewBodyLimit))

		// Link-in-bio. GET /{username} hands names that are not profiles
		// to the static pb_public files.
		api.GET("/profiles/{username}", srv.handleProfileJSON).Bind(hot)
		api.GET("/profiles/{username}/qr.png", srv.handleQR).Bind(hot)
		api.GET("/profiles/{username}/theme.css", srv.handleThemeCSS).Bind(hot)
		api.GET("/analytics", srv.handleAnalytics).Bind(requireUser)
		api.POST("/links/order", srv.handleLinkOrder).Bind(requireUser, apis.BodyLimit(orderBodyLimit))
		se.Router.GET("/l/{link_id}", srv.handleClick).Bind(hot)
		se.Router.GET("/{username}", srv.handleProfilePage).Bind(hot)
		se.Router.GET("/robots.txt", handleRobots).Bind(hot)
		se.Router.GET("/sitemap.xml", srv.handleSitemap).Bind(hot)

		// Pages: pb_public files at clean paths (an explicit path outranks
		// GET /{username}). /register and /{username} are rendered above.
		se.Router.GET("/login", loginPage())
		se.Router.GET("/forgot-password", servePage("forgot-password.html"))
		se.Router.GET("/reset-password", servePage("reset-password.html"))
		se.Router.GET("/verify-email", servePage("verify-email.html"))
		se.Router.GET("/confirm-email-change", servePage("confirm-email-change.html"))
		se.Router.GET("/oauth2-callback", servePage("oauth2-callback.html"))
		se.Router.GET("/dashboard", servePage("dashboard.html"))

		// Every other GET: a profile's link preview, /{username}/og.png
		// (ServeMux cannot hold that pattern beside /l/{link_id}: both
		// match /l/og.png), else a pb_public file (the binary's embedded
		// copy, or LINKBASE_PUBLIC_DIR).
		se.Router.GET("/{path...}", srv.handleFiles).Bind(hot) // apis.StaticWildcardParam

		return se.Next()
	})
}
