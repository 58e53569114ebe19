package account

import (
	"errors"
	"regexp"
	"strings"
)

// UsernamePattern is the shape of a username once lowercased: 3–30 of
// a-z, 0-9, "_" and ".", starting with a letter or digit. The same pattern
// is set on the users collection's field.
const UsernamePattern = `^[a-z0-9][a-z0-9_.]{2,29}$`

var usernameRe = regexp.MustCompile(UsernamePattern)

// Errors about usernames.
var (
	ErrUsernameInvalid  = errors.New("invalid username")
	ErrUsernameReserved = errors.New("reserved username")
	ErrUsernameTaken    = errors.New("username already taken")
)

// reservedUsernames are names that are, or may one day be, routes and pages
// of the app (a profile lives at /{username}), or that would mislead.
var reservedUsernames = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`
		about account accounts admin administrator analytics api app apps assets
		auth billing blog cdn contact dashboard docs download downloads email
		explore faq feed files forgot-password health help home images img
		index info js css legal linkbase links login logout mail me new news
		null undefined official owner pages password privacy profile profiles
		public qr referral referrals register reset-password reset root rss
		security settings signin signout signup sitemap static status store
		support system team terms test tos user users verify verify-email www
		webmaster postmaster hostmaster abuse noreply no-reply staff moderator
		pb_public pb_data favicon.ico robots.txt sitemap.xml manifest.json
		_ l u r p s
	`) {
		reservedUsernames[name] = true
	}
}

// NormalizeUsername trims the name and lowercases its ASCII letters.
func NormalizeUsername(username string) string {
	return asciiLower(strings.TrimSpace(username))
}

// ValidateUsername reports whether a normalised username may be taken.
// Only ASCII is allowed, so Unicode lookalikes and invisible characters are
// refused rather than folded.
func ValidateUsername(username string) error {
	if !usernameRe.MatchString(username) {
		return ErrUsernameInvalid
	}
	if IsReservedUsername(username) {
		return ErrUsernameReserved
	}
	return nil
}

// staticFileExtensions end the names of files the app serves from
// pb_public at /{name}: a profile at /{username} must never shadow one, so
// usernames ending in them are reserved ("john.doe" stays free).
var staticFileExtensions = strings.Fields(`
	.html .htm .css .js .mjs .map .json .xml .txt .ico .png .jpg .jpeg .gif
	.svg .webp .avif .woff .woff2 .ttf .otf .webmanifest .pdf .zip .wasm
`)

// IsReservedUsername reports whether a name belongs to the app itself.
func IsReservedUsername(username string) bool {
	if reservedUsernames[username] {
		return true
	}
	for _, ext := range staticFileExtensions {
		if strings.HasSuffix(username, ext) {
			return true
		}
	}
	return false
}
