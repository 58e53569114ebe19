// Package passkey is the data side of passkeys (WebAuthn) on top of
// github.com/go-webauthn/webauthn: the relying party built from the app
// URL, the single-use challenges of pending ceremonies, and the registered
// credentials. Nothing of WebAuthn itself is written here.
package passkey

import (
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/go-webauthn/webauthn/webauthn"
)

// Errors of the passkey ceremonies.
var (
	ErrNoRelyingParty  = errors.New("the app URL cannot be a WebAuthn relying party (it needs a host name, not an IP address)")
	ErrChallenge       = errors.New("unknown, used or expired passkey challenge")
	ErrInvalid         = errors.New("invalid passkey response")
	ErrCredentialTaken = errors.New("passkey already registered")
	ErrCloned          = errors.New("the passkey's signature counter did not advance: it may have been cloned")
	ErrNotFound        = errors.New("passkey not found")
)

// RelyingParty is the WebAuthn relying party of an app served at appURL:
// its id is the URL's host name and its one origin the URL's origin.
// Browsers refuse an IP address as relying-party id, so such a URL is
// ErrNoRelyingParty (use a name such as localhost in development).
func RelyingParty(appURL, appName string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(strings.TrimSpace(appURL))
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") || net.ParseIP(u.Hostname()) != nil {
		return nil, ErrNoRelyingParty
	}
	host := strings.ToLower(u.Hostname())
	origin := u.Scheme + "://" + host
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		origin += ":" + port // a browser's origin names only a non-default port
	}
	if appName == "" {
		appName = "Linkbase"
	}
	wa, err := webauthn.New(&webauthn.Config{RPID: host, RPDisplayName: appName, RPOrigins: []string{origin}})
	if err != nil {
		return nil, errors.Join(ErrNoRelyingParty, err)
	}
	return wa, nil
}
