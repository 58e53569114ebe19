package proxywarn

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// healthHint completes PocketBase's GET /api/health answer to superusers.
// The dashboard reads its data.possibleProxyHeader and flags Settings →
// Application → IP proxy headers with "Detected proxy header. It is
// recommend to list it as trusted." while no header is trusted (or "The
// configured proxy header doesn't match with the detected one.") — the
// operator's warning, at the setting to change. PocketBase v0.39 never
// detects X-Forwarded-For, the header haproxy, Caddy and nginx send: its
// list spells it with a non-breaking hyphen (U+2011). When it found
// nothing, the first header of proxyHeaders the request carries is named
// instead. Every other answer passes through untouched.
func healthHint(e *core.RequestEvent) error {
	header := proxyHeaderOf(e.Request)
	if header == "" || !e.HasSuperuserAuth() {
		return e.Next()
	}

	orig := e.Response
	buf := &bufferedResponse{header: orig.Header(), status: http.StatusOK}
	e.Response = buf
	err := e.Next()
	e.Response = orig
	if err != nil {
		return err // nothing was sent yet: PocketBase answers the error on orig
	}

	body := buf.body.Bytes()
	if buf.status == http.StatusOK {
		body = withProxyHeader(body, header)
	}
	orig.WriteHeader(buf.status)
	_, werr := orig.Write(body)
	return werr
}

// withProxyHeader sets data.possibleProxyHeader of a health answer to
// header when PocketBase left it empty; a body it cannot read is kept.
func withProxyHeader(body []byte, header string) []byte {
	var answer map[string]any
	if json.Unmarshal(body, &answer) != nil {
		return body
	}
	data, ok := answer["data"].(map[string]any)
	if !ok || data["possibleProxyHeader"] != "" {
		return body
	}
	data["possibleProxyHeader"] = header
	out, err := json.Marshal(answer)
	if err != nil {
		return body
	}
	return out
}

// bufferedResponse holds a handler's answer so it can be completed before
// it is sent. Headers go straight to the real response's map.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *bufferedResponse) Header() http.Header         { return r.header }
func (r *bufferedResponse) WriteHeader(status int)      { r.status = status }
func (r *bufferedResponse) Write(p []byte) (int, error) { return r.body.Write(p) }
