package account

import (
	_ "embed"
	"errors"
	"strings"
	"unicode/utf8"
)

// Password limits. 71 bytes is PocketBase's bcrypt cap: bcrypt reads at most
// 72 bytes including a terminating NUL, so anything longer would be
// silently truncated.
const (
	MinPasswordRunes = 8
	MaxPasswordRunes = 64
	MaxPasswordBytes = 71
)

// minIdentityLength is the shortest username or email local part that a
// password may not contain; shorter ones would refuse too many passwords.
const minIdentityLength = 3

// Errors about passwords.
var (
	ErrPasswordTooShort         = errors.New("password too short")
	ErrPasswordTooLong          = errors.New("password too long")
	ErrPasswordInvalid          = errors.New("password has control characters or invalid UTF-8")
	ErrPasswordTooCommon        = errors.New("password too common")
	ErrPasswordContainsIdentity = errors.New("password contains the username or email")
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords holds the lowercased common passwords of at least
// MinPasswordRunes characters (shorter ones are refused by length anyway).
var commonPasswords = func() map[string]struct{} {
	lines := strings.Split(commonPasswordsText, "\n")
	set := make(map[string]struct{}, len(lines))
	for _, line := range lines {
		if line = strings.TrimSpace(line); line != "" {
			set[strings.ToLower(line)] = struct{}{}
		}
	}
	return set
}()

// CommonPasswordCount is the size of the shipped list of common passwords.
func CommonPasswordCount() int { return len(commonPasswords) }

// CheckPassword applies the password policy to a new password for the
// account with the given normalised username and email. There are no
// composition rules, as NIST SP 800-63B advises.
func CheckPassword(password, username, email string) error {
	if !utf8.ValidString(password) || hasControl(password) {
		return ErrPasswordInvalid
	}
	if utf8.RuneCountInString(password) < MinPasswordRunes {
		return ErrPasswordTooShort
	}
	if utf8.RuneCountInString(password) > MaxPasswordRunes || len(password) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}
	lower := strings.ToLower(password)
	if _, ok := commonPasswords[lower]; ok {
		return ErrPasswordTooCommon
	}
	for _, identity := range []string{username, LocalPart(email)} {
		if len(identity) >= minIdentityLength && strings.Contains(lower, strings.ToLower(identity)) {
			return ErrPasswordContainsIdentity
		}
	}
	return nil
}

// CouldBePassword reports whether a login attempt's password is one that
// the policy could ever have stored. Anything longer than the bcrypt cap
// must never log in, since bcrypt would compare only its first 72 bytes.
func CouldBePassword(password string) bool {
	return password != "" && len(password) <= MaxPasswordBytes &&
		utf8.RuneCountInString(password) <= MaxPasswordRunes &&
		utf8.ValidString(password) && !hasControl(password)
}
