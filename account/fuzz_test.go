package account

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzNormalisation checks, for any input, that normalising is idempotent,
// that an accepted address has its domain in the canonical form (ASCII,
// lowercase, no trailing dot) and the same mailbox as what was typed, that
// an accepted username is plain ASCII of the documented pattern, and that
// the password policy never panics.
func FuzzNormalisation(f *testing.F) {
	for _, s := range []string{"Ann", " ann@Example.com ", "\u212Aim", "аnn", "a\x00b", "\xff\xfe", "admin", "ann.lee+x@gmail.com", "fraud.test@gmail.com.", "x@MAILINATOR.com..", "a@bücher.de", "a@xn--bcher-kva.de", "a@ｅｘａｍｐｌｅ.com。"} {
		f.Add(s)
	}
	ascii := regexp.MustCompile(UsernamePattern)
	f.Fuzz(func(t *testing.T, s string) {
		email := NormalizeEmail(s)
		if NormalizeEmail(email) != email {
			t.Fatalf("NormalizeEmail not idempotent on %q", s)
		}
		if ValidateEmail(email) == nil {
			if CanonicalMailbox(CanonicalMailbox(email)) != CanonicalMailbox(email) {
				t.Fatalf("CanonicalMailbox not idempotent on %q", email)
			}
			if CanonicalMailbox(s) != CanonicalMailbox(email) {
				t.Fatalf("CanonicalMailbox(%q) differs from that of its normal form %q", s, email)
			}
			domain := email[strings.LastIndexByte(email, '@')+1:]
			if strings.HasSuffix(domain, ".") || strings.ToLower(domain) != domain || !isASCII(domain) {
				t.Fatalf("accepted %q with a domain %q not in the canonical form", email, domain)
			}
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
