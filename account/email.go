// Package account holds the rules for the identities people sign up with:
// email addresses, usernames and passwords. It knows nothing of HTTP or
// PocketBase records, so its rules are tested as plain tables.
package account

import (
	"errors"
	"strings"
	"unicode"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"golang.org/x/net/idna"
)

// MaxEmailLength is the longest address accepted (RFC 5321's path limit).
const MaxEmailLength = 254

// Errors about email addresses.
var (
	ErrEmailInvalid = errors.New("invalid email address")
	ErrEmailTaken   = errors.New("email already in use")
)

// NormalizeEmail returns the one canonical form of an address that
// uniqueness, self-referral and disposable-domain checks compare: trimmed,
// the local part's ASCII letters lowercased, and the domain as DNS sees
// it: trailing dots removed ("gmail.com." is gmail.com), lowercased and
// IDNA-encoded (UTS #46 lookup mapping, so "BÜCHER.de" and "bücher.de" are
// both "xn--bcher-kva.de"). In the local part only ASCII is folded,
// matching SQLite's NOCASE collation, so that a Unicode lookalike (the
// Kelvin sign for "k") never folds into someone else's mailbox. A domain
// IDNA refuses is kept as typed (ASCII-lowercased) for ValidateEmail to
// refuse.
func NormalizeEmail(email string) string {
	email = strings.TrimSpace(email)
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return asciiLower(email)
	}
	return asciiLower(email[:at]) + "@" + canonicalDomain(email[at+1:])
}

// canonicalDomain is domain without trailing dots, lowercased and
// IDNA-encoded; when IDNA refuses it, only the first two steps apply.
func canonicalDomain(domain string) string {
	domain = asciiLower(trimDots(domain))
	// The mapping turns ideographic full stops into dots, so trim again.
	if ascii, err := idna.Lookup.ToASCII(domain); err == nil && trimDots(ascii) != "" {
		return trimDots(ascii)
	}
	return domain
}

// trimDots removes the trailing dots of a domain (and the spaces between
// them, so that normalising twice changes nothing).
func trimDots(domain string) string {
	return strings.TrimRightFunc(domain, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
}

// ValidateEmail reports whether a normalised address is acceptable. Its
// domain must be ASCII: NormalizeEmail encodes every domain IDNA accepts,
// so one still holding other characters is one IDNA refused.
func ValidateEmail(email string) error {
	if email == "" || len(email) > MaxEmailLength || hasControl(email) || !isASCII(email[strings.LastIndexByte(email, '@')+1:]) {
		return ErrEmailInvalid
	}
	if err := is.EmailFormat.Validate(email); err != nil {
		return ErrEmailInvalid
	}
	return nil
}

// CanonicalMailbox returns the mailbox that actually receives mail for an
// address, in NormalizeEmail's form: "+tags" are dropped and, for Gmail, dots in the local
// part too. Two addresses with the same canonical mailbox belong to the same
// person as far as self-referral is concerned.
func CanonicalMailbox(email string) string {
	email = NormalizeEmail(email)
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

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
