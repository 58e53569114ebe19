package csrf

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/secret"
)

// Tokens issues and checks the CSRF tokens of one app's sessions under the
// install's session key, which a migration generates into the
// superuser-only secrets collection and which is read once. One per app
// (package stores).
type Tokens struct {
	key *secret.Secret
}

// NewTokens returns the token issuer of app.
func NewTokens(app core.App) *Tokens {
	return &Tokens{key: secret.New(app, schema.SecretSessionKey)}
}

// For is the CSRF token of sessionToken.
func (t *Tokens) For(sessionToken string) (string, error) {
	key, err := t.key.Bytes()
	if err != nil {
		return "", err
	}
	return Token(key, sessionToken), nil
}

// Valid reports whether presented is the CSRF token of sessionToken.
func (t *Tokens) Valid(sessionToken, presented string) (bool, error) {
	key, err := t.key.Bytes()
	if err != nil {
		return false, err
	}
	return Valid(key, sessionToken, presented), nil
}

// Subkey derives a key for another purpose from the install's session
// key (an HMAC of the purpose under it), so that one generated secret
// signs several kinds of value without one ever standing in for another.
func (t *Tokens) Subkey(purpose string) ([]byte, error) {
	key, err := t.key.Bytes()
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("subkey\x00" + purpose))
	return mac.Sum(nil), nil
}
