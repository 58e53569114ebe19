package account

import (
	"regexp"
	"testing"
)

// FuzzNormalisation checks, for any input, that normalising is idempotent,
// that an accepted username is plain ASCII of the documented pattern, and
// that the password policy never panics.
func FuzzNormalisation(f *testing.F) {
	for _, s := range []string{"Ann", " ann@Example.com ", "\u212Aim", "аnn", "a\x00b", "\xff\xfe", "admin", "ann.lee+x@gmail.com"} {
		f.Add(s)
	}
	ascii := regexp.MustCompile(UsernamePattern)
	f.Fuzz(func(t *testing.T, s string) {
		email := NormalizeEmail(s)
		if NormalizeEmail(email) != email {
			t.Fatalf("NormalizeEmail not idempotent on %q", s)
		}
		if ValidateEmail(email) == nil && CanonicalMailbox(CanonicalMailbox(email)) != CanonicalMailbox(email) {
			t.Fatalf("CanonicalMailbox not idempotent on %q", email)
		}
		username := NormalizeUsername(s)
		if NormalizeUsername(username) != username {
			t.Fatalf("NormalizeUsername not idempotent on %q", s)
		}
		if ValidateUsername(username) == nil && !ascii.MatchString(username) {
			t.Fatalf("accepted username %q outside the pattern", username)
		}
		if CheckPassword(s, username, email) == nil && !CouldBePassword(s) {
			t.Fatalf("policy accepted %q, which login would refuse", s)
		}
	})
}
