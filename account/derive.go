package account

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// usernameBaseMax leaves room in the 30 characters of a username for a
// number that makes a derived name unique.
const usernameBaseMax = 24

// FallbackUsername is the base of a derived username when no candidate
// yields one.
const FallbackUsername = "user"

// DeriveUsername turns what an identity provider knows about a person (its
// username, their name, their email) into the base of a username: the
// first candidate that folds into at least three characters of the
// username alphabet. Accents are dropped ("José" → "jose"), other runs of
// characters outside a-z, 0-9, "_" and "." become one "_", and the result
// is cut to leave room for a number (see Suffixed). For an email only the
// local part is used, without its +tag. The base may be reserved or taken;
// the caller makes it unique.
func DeriveUsername(username, name, email string) string {
	local, _, _ := strings.Cut(email, "@")
	local, _, _ = strings.Cut(local, "+")
	for _, candidate := range []string{username, name, local} {
		if base := foldUsername(candidate); len(base) >= 3 {
			return base
		}
	}
	return FallbackUsername
}

func foldUsername(s string) string {
	var b strings.Builder
	pendingSep := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r): // a combining accent
			continue
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.':
		default:
			pendingSep = true
			continue
		}
		if pendingSep && b.Len() > 0 {
			b.WriteByte('_')
		}
		pendingSep = false
		b.WriteRune(r)
	}
	out := strings.TrimLeft(b.String(), "_.")
	if len(out) > usernameBaseMax {
		out = out[:usernameBaseMax]
	}
	return strings.TrimRight(out, "_.")
}

// Suffixed is base followed by n, the n-th alternative when base itself
// is taken or reserved; it always fits the username length.
func Suffixed(base string, n int) string {
	suffix := strconv.Itoa(n)
	if len(base)+len(suffix) > 30 {
		base = base[:30-len(suffix)]
	}
	return base + suffix
}
