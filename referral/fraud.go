package referral

import (
	_ "embed"
	"strings"

	"linkbase/account"
)

//go:embed disposable_domains.txt
var disposableText string

var disposableDomains = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(disposableText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
}()

// Review reasons, stored on a referral held for an admin.
const (
	ReasonSameIP     = "same IP as the referrer"
	ReasonDisposable = "disposable email domain"
	ReasonBurst      = "burst of sign-ups on this code"
)

// IsDisposableEmail reports whether an address belongs to a throwaway
// mail service, or to a subdomain of one, judged on its canonical form
// (account.NormalizeEmail: "x@Mailinator.com." is mailinator.com).
func IsDisposableEmail(email string) bool {
	email = account.NormalizeEmail(email)
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := email[at+1:]
	for domain != "" {
		if disposableDomains[domain] {
			return true
		}
		dot := strings.IndexByte(domain, '.')
		if dot < 0 {
			break
		}
		domain = domain[dot+1:]
	}
	return false
}

// SignUp is what is known about a referred sign-up when it happens.
type SignUp struct {
	Email            string
	IPHash           string   // the new user's, "" when unknown
	ReferrerIPHashes []string // the referrer's sign-up and login IP hashes within the IP window
	RecentOnCode     int      // referrals of the same referrer within the burst window, before this one
}

// ReviewReason returns why a referred sign-up must wait for an admin, or ""
// when nothing looks wrong. Every signal found is listed.
func (r Rules) ReviewReason(s SignUp) string {
	var reasons []string
	if s.IPHash != "" {
		for _, h := range s.ReferrerIPHashes {
			if h == s.IPHash {
				reasons = append(reasons, ReasonSameIP)
				break
			}
		}
	}
	if IsDisposableEmail(s.Email) {
		reasons = append(reasons, ReasonDisposable)
	}
	if r.BurstLimit > 0 && s.RecentOnCode >= r.BurstLimit {
		reasons = append(reasons, ReasonBurst)
	}
	return strings.Join(reasons, "; ")
}
