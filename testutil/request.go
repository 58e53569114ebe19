package testutil

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// Send is the one way route tests send a request of their own (besides
// PocketBase's ApiScenario): it serves method url with body through h (see
// Handler) and returns the recorder. The body is sent as JSON; headers may
// hold "RemoteAddr", which sets the client's address instead of a header.
func Send(h http.Handler, method, url, body string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if k == "RemoteAddr" {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
