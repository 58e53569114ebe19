package account

import "errors"

// ErrTokenInvalid is the one answer for a reset or verification token that
// is expired, already used, tampered with, of another kind or of a user
// that no longer exists: telling them apart would only help an attacker.
var ErrTokenInvalid = errors.New("invalid or expired token")
