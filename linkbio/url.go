// Package linkbio holds the rules of the link-in-bio product in plain Go:
// which link URLs are safe to publish, the theme schema, link schedules,
// referrer hosts and the in-memory counters of views and clicks. Nothing
// here knows about records or HTTP; time is always passed in.
package linkbio

import (
	"errors"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURLLength is the longest link URL accepted, in bytes.
const MaxURLLength = 2048

// Errors about link URLs.
var (
	ErrURLTooLong = errors.New("url too long")
	ErrURLInvalid = errors.New("invalid url")
	ErrURLScheme  = errors.New("url scheme not allowed")
)

// allowedSchemes are the only schemes a published link may use: anything
// else (javascript:, data:, vbscript:, file:, …) could run code or read
// local data in the visitor's browser.
var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

// ValidateURL reports whether raw may be published as a link. The URL is
// checked as given, never trimmed or repaired, so what is stored is what
// was checked: whitespace and control characters anywhere are refused,
// because browsers strip some of them before reading the scheme.
func ValidateURL(raw string) error {
	if len(raw) > MaxURLLength {
		return ErrURLTooLong
	}
	if raw == "" || !utf8.ValidString(raw) {
		return ErrURLInvalid
	}
	for _, r := range raw {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError ||
			unicode.Is(unicode.Cf, r) { // invisible format characters, e.g. U+200B
			return ErrURLInvalid
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ErrURLInvalid
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "" {
		return ErrURLInvalid // relative URLs would point into the app itself
	}
	if !allowedSchemes[scheme] {
		return ErrURLScheme
	}
	switch scheme {
	case "http", "https":
		// user@host URLs only serve to disguise the real host.
		if u.Opaque != "" || u.Hostname() == "" || u.User != nil {
			return ErrURLInvalid
		}
	default: // mailto:, tel:
		if u.Opaque == "" && u.Path == "" {
			return ErrURLInvalid
		}
	}
	return nil
}
