package testutil

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// Send is the one way route tests send a request of their own (besides
// PocketBase's ApiScenario): it serves method url with body through h (see
// Handler) and returns the recorder. The body is sent as JSON unless a
// Content-Type is given. Three names in headers set parts of the request
// rather than headers: "RemoteAddr" (the client's address), "Host", and
// "RawQuery" (sent as is, whatever bytes a fuzzer made).
func Send(h http.Handler, method, url, body string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		switch k {
		case "RemoteAddr":
			req.RemoteAddr = v
		case "Host":
			req.Host = v
		case "RawQuery":
			req.URL.RawQuery = v
		default:
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
