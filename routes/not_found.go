package routes

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"
)

//go:embed templates/not_found.html
var notFoundFS embed.FS

var notFoundTemplate = template.Must(template.ParseFS(notFoundFS, "templates/not_found.html"))

// maxShownName bounds the requested name the 404 page repeats.
const maxShownName = 60

// renderNotFoundPage renders the HTML answer to a browser asking for a
// profile that is not there (unknown, disabled or reserved alike, so the
// page tells nothing about which). name is the path segment asked for,
// escaped by html/template, shown only when it is short, valid UTF-8 text.
func renderNotFoundPage(name string) ([]byte, error) {
	if len(name) > maxShownName || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		name = ""
	}
	var buf bytes.Buffer
	err := notFoundTemplate.Execute(&buf, map[string]string{"Name": name})
	return buf.Bytes(), err
}

// wantsHTML reports whether a request comes from a browser navigating to a
// page (it accepts text/html), rather than from an API client.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
