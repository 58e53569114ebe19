// Package csrf binds the CSRF token of a browser session to that session
// and compares origins the way browsers do.
//
// The token is an HMAC-SHA256 of the session token under the install's
// session key, so a cookie and header pair that the server did not issue
// for the current session (a fixed value, a token planted by a sibling
// subdomain, one copied from another session) is refused, while nothing
// has to be stored per session: every node of a cluster derives the same
// token from the shared key.
package csrf

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/url"
	"strings"
)

// Token is the CSRF token of sessionToken under key.
func Token(key []byte, sessionToken string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("csrf\x00"))
	mac.Write([]byte(sessionToken))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// Valid reports whether presented is the CSRF token of sessionToken,
// in constant time.
func Valid(key []byte, sessionToken, presented string) bool {
	if sessionToken == "" || presented == "" {
		return false
	}
	return hmac.Equal([]byte(Token(key, sessionToken)), []byte(presented))
}

// SameOrigin reports whether two serialised origins (or URLs) have the
// same scheme, host and port, with the scheme's default port filled in and
// case ignored, as a browser compares them: "https://a.example" and
// "https://A.example:443" are the same origin, "http://a.example" and
// "https://a.example" are not. Anything without a scheme or host is no
// origin at all.
func SameOrigin(a, b string) bool {
	oa, okA := normalize(a)
	ob, okB := normalize(b)
	return okA && okB && oa == ob
}

func normalize(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		default:
			return "", false
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port), true
}
