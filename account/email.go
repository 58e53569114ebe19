// Package account holds the rules for the identities people sign up with:
// email addresses, usernames and passwords. It knows nothing of HTTP or
// PocketBase records, so its rules are tested as plain tables.
package account

import (
	"errors"
	"strings"

	"github.com/pocketbase/ozzo-validation/v4/is"
)

// MaxEmailLength is the longest address accepted (RFC 5321's path limit).
const MaxEmailLength = 254

// Errors about email addresses.
var (
	ErrEmailInvalid = errors.New("invalid email address")
	ErrEmailTaken   = errors.New("email already in use")
)

// NormalizeEmail trims the address and lowercases its ASCII letters.
// Only ASCII is folded, matching SQLite's NOCASE collation, so that a
// Unicode lookalike (the Kelvin sign for "k") never folds into someone
// else's address.
func NormalizeEmail(email string) string {
	return asciiLower(strings.TrimSpace(email))
}

// ValidateEmail reports whether a normalised address is acceptable.
func ValidateEmail(email string) error {
	if email == "" || len(email) > MaxEmailLength || hasControl(email) {
		return ErrEmailInvalid
	}
	if err := is.EmailFormat.Validate(email); err != nil {
		return ErrEmailInvalid
	}
	return nil
}

// CanonicalMailbox returns the mailbox that actually receives mail for a
// normalised address: "+tags" are dropped and, for Gmail, dots in the local
// part too. Two addresses with the same canonical mailbox belong to the same
// person as far as self-referral is concerned.
func CanonicalMailbox(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email
	}
	local, domain := email[:at], email[at+1:]
	if plus := strings.IndexByte(local, '+'); plus >= 0 {
		local = local[:plus]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// LocalPart returns the part of an address before the last "@".
func LocalPart(email string) string {
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		return email[:at]
	}
	return email
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
