// Package referral holds the referral program's rules: the shape of
// referral codes and links. It knows nothing of HTTP or PocketBase records.
package referral

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"linkbase/account"
)

// CodeAlphabet has no characters that are easily confused when read aloud or
// copied by hand: no 0/o, 1/l/i.
const CodeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// CodeLength is the length of a generated code: 31^8 ≈ 8.5e11 codes.
const CodeLength = 8

// CodePattern is the shape of a stored code, also set on the users field.
const CodePattern = `^[23456789abcdefghjkmnpqrstuvwxyz]{8,32}$`

// Errors about referral codes.
var (
	ErrCodeInvalid  = errors.New("invalid referral code")
	ErrCodeExpired  = errors.New("referral code has expired")
	ErrSelfReferral = errors.New("self-referral")
)

// IsRefused reports whether err is a reason to refuse a code at sign-up
// (unknown, expired, self-referral) rather than a failure to check it.
func IsRefused(err error) bool {
	return errors.Is(err, ErrCodeInvalid) || errors.Is(err, ErrCodeExpired) || errors.Is(err, ErrSelfReferral)
}

// NewCode draws a code from random, which is crypto/rand.Reader in the app
// and a fixed stream in tests. It rejects biased bytes, so every character
// of the alphabet is equally likely.
func NewCode(random io.Reader) (string, error) {
	const limit = 256 - 256%len(CodeAlphabet)
	code := make([]byte, 0, CodeLength)
	buf := make([]byte, CodeLength*2)
	for len(code) < CodeLength {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("reading randomness: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(code) < CodeLength {
				code = append(code, CodeAlphabet[int(b)%len(CodeAlphabet)])
			}
		}
	}
	return string(code), nil
}

// NormalizeCode trims a code typed or pasted by a person and lowercases it;
// codes are compared case-insensitively.
func NormalizeCode(code string) string {
	return strings.ToLower(strings.TrimSpace(code))
}

// Link is the referral link of a code under the app's URL.
func Link(appURL, code string) string {
	return strings.TrimRight(appURL, "/") + "/register?referral=" + url.QueryEscape(code)
}

// CheckReferrer applies the rules that a sign-up by newEmail with a code
// must pass against the code's owner: the owner is active and is not the
// same person, judged by canonical mailbox.
func CheckReferrer(referrerEmail string, referrerDisabled bool, newEmail string) error {
	if referrerDisabled {
		return ErrCodeExpired
	}
	if account.CanonicalMailbox(referrerEmail) == account.CanonicalMailbox(newEmail) {
		return ErrSelfReferral
	}
	return nil
}
