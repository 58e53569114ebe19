package linkbio

import (
	"bytes"
	"html/template"
	"strings"
	"unicode/utf8"
)

var notFoundTemplate = template.Must(template.ParseFS(templateFS, "templates/not_found.html"))

// maxShownName bounds the requested name the 404 page repeats.
const maxShownName = 60

// NotFoundPage renders the HTML answer to a browser asking for a profile
// that is not there (unknown, disabled or reserved alike, so the page
// tells nothing about which). name is the path segment asked for, escaped
// by html/template, shown only when it is short, valid UTF-8 text.
func NotFoundPage(name string) ([]byte, error) {
	if len(name) > maxShownName || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		name = ""
	}
	var buf bytes.Buffer
	err := notFoundTemplate.Execute(&buf, map[string]string{"Name": name})
	return buf.Bytes(), err
}
