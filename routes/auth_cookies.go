package routes

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// bindSessionCookies starts a browser session on every successful
// authentication of a users record, whichever route made it: ours
// (register, login, passkeys) and PocketBase's (auth-with-password,
// auth-with-otp, auth-with-oauth2, auth-refresh). PocketBase's
// OnRecordAuthRequest runs before the MFA check, which may still answer
// 401 {"mfaId"}; so the cookies are added only when the answer turns out to
// be a 200, just before its headers go out. A superuser's impersonation
// token is handed to the superuser, never set as a browser session.
func (srv *server) bindSessionCookies(app core.App) {
	app.OnRecordAuthRequest(schema.Users).BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if strings.Contains(e.Request.URL.Path, "/impersonate/") {
			return e.Next()
		}
		original := e.Response
		w := &onSuccessWriter{ResponseWriter: original}
		w.onOK = func() {
			if err := srv.setSessionCookies(e.RequestEvent, e.Token, int(e.Record.Collection().AuthToken.Duration)); err != nil {
				e.App.Logger().Error("setting the session cookies", "error", err)
			}
			// This browser is now known to the account: its own budget of
			// password attempts (loginguard).
			if err := srv.Logins.Remember(e.RequestEvent, e.Record, isHTTPS(e.App)); err != nil {
				e.App.Logger().Error("setting the device cookie", "error", err)
			}
		}
		e.Response = w
		defer func() { e.Response = original }()
		return e.Next()
	})
}

// onSuccessWriter calls onOK once, right before a 200 answer's headers are
// written; any other status passes through untouched.
type onSuccessWriter struct {
	http.ResponseWriter
	onOK    func()
	started bool
}

func (w *onSuccessWriter) WriteHeader(status int) {
	if !w.started {
		w.started = true
		if status == http.StatusOK {
			w.onOK()
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *onSuccessWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets PocketBase's router see through to its own writer
// (Written, Status, Flush).
func (w *onSuccessWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
