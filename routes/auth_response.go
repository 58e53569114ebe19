package routes

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// respondWithAuth answers a successful sign-up or login on our routes
// through PocketBase's own auth response (apis.RecordAuthResponse), so
// everything PocketBase enforces on its auth routes applies here too: the
// collection's auth rule, MFA for a non-empty method (a correct first
// factor answers 401 {"mfaId"} with no token and no cookie), auth origins
// and new-location alerts, and the session cookies set by
// srv.bindSessionCookies. A 200 is reshaped into our {token, user} with
// status; anything else PocketBase answered is passed on as it is.
func respondWithAuth(e *core.RequestEvent, status int, user *core.Record, method string) error {
	// Our routes read their body as JSON whatever its Content-Type says
	// (readJSON); PocketBase's readers are told the same.
	e.Request.Header.Set("Content-Type", "application/json")
	original := e.Response
	capture := &captureWriter{header: original.Header()}
	e.Response = capture
	err := apis.RecordAuthResponse(e, user, method, nil)
	e.Response = original
	if err != nil && !errors.Is(err, apis.ErrMFA) {
		return err
	}
	if capture.status != http.StatusOK {
		original.WriteHeader(capture.status)
		_, _ = original.Write(capture.body.Bytes())
		return err
	}
	var answer struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(capture.body.Bytes(), &answer); err != nil || answer.Token == "" {
		return e.InternalServerError("", errors.Join(errors.New("reading PocketBase's auth response"), err))
	}
	return e.JSON(status, map[string]any{"token": answer.Token, "user": newMe(e.App, user)})
}

// captureWriter holds back the status and body of an answer while its
// headers (such as Set-Cookie) go straight to the real response.
type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *captureWriter) Header() http.Header { return w.header }

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}
