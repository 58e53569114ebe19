package referral

import (
	_ "embed"
	"math"
	"slices"
	"strings"
	"time"

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

// Review reasons, stored on a referral held for an admin, joined by
// ReasonSeparator when there are several.
const (
	ReasonSameIP      = "same IP as the referrer"
	ReasonDisposable  = "disposable email domain"
	ReasonBurst       = "burst of sign-ups on this code"
	ReasonFarmAddress = "several referred accounts from one address"
	ReasonFarmDevice  = "several referred accounts from one browser"
	ReasonSeparator   = "; "
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
	BaselineSignups  int      // the referrer's referrals in the BurstBaselineDays before today
	Farm             Farm
}

// Farm counts the other referred accounts (of any referrer, within the IP
// window) that share a sign-up's client address or browser.
type Farm struct {
	SameAddress int // signed up from the same client IP (hash); 0 when the IP is unknown
	SameDevice  int // signed up from the same browser (visitor cookie); 0 without one
}

// Burst rule: a referrer's sign-ups are a burst when the burst window holds
// more than BurstFactor times their usual number per window, measured over
// the BurstBaselineDays before today, and at least the burst limit. A
// referrer whose campaign brings hundreds a day is judged against that,
// not against the limit meant for a quiet code.
const (
	BurstFactor       = 10
	BurstBaselineDays = 7
)

// BurstThreshold is the number of recent sign-ups on one code from which a
// new one is flagged as a burst, for a referrer with baseline sign-ups in
// the BurstBaselineDays before today; 0 when the burst signal is off.
func (r Rules) BurstThreshold(baseline int) int {
	if r.BurstLimit == 0 || r.BurstWindow <= 0 {
		return 0
	}
	windows := float64(BurstBaselineDays*24*time.Hour) / float64(r.BurstWindow)
	usual := float64(baseline) / windows
	return max(r.BurstLimit, int(math.Ceil(BurstFactor*usual)))
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
	if limit := r.BurstThreshold(s.BaselineSignups); limit > 0 && s.RecentOnCode >= limit {
		reasons = append(reasons, ReasonBurst)
	}
	reasons = append(reasons, r.FarmReasons(s.Farm)...)
	return strings.Join(reasons, ReasonSeparator)
}

// FarmReasons are the farm signals of a sign-up: this account makes at
// least FarmLimit referred accounts from one address or one browser.
func (r Rules) FarmReasons(f Farm) []string {
	if r.FarmLimit == 0 {
		return nil
	}
	var reasons []string
	if f.SameAddress+1 >= r.FarmLimit {
		reasons = append(reasons, ReasonFarmAddress)
	}
	if f.SameDevice+1 >= r.FarmLimit {
		reasons = append(reasons, ReasonFarmDevice)
	}
	return reasons
}

// AtVerification decides a pending referral whose referred user has just
// verified their address, given its review reason and the farm reasons
// found now (a farm's first accounts look clean at their own sign-up; by
// the time they verify the later ones may be known). A burst alone is no
// fraud (a shared post going viral looks the same), so a referral flagged
// only for a burst completes; any other reason keeps it held. It returns
// the reason to store and whether the referral turns successful.
func AtVerification(reason string, farm []string) (string, bool) {
	reasons := SplitReasons(reason)
	for _, f := range farm {
		if !slices.Contains(reasons, f) {
			reasons = append(reasons, f)
		}
	}
	complete := true
	for _, r := range reasons {
		if r != ReasonBurst {
			complete = false
		}
	}
	return strings.Join(reasons, ReasonSeparator), complete
}

// SplitReasons returns the reasons of a stored review reason.
func SplitReasons(reason string) []string {
	if reason == "" {
		return nil
	}
	return strings.Split(reason, ReasonSeparator)
}

// ReviewWindowNote is added to the review reason of a held referral that
// the review window decided.
const ReviewWindowNote = "review window passed"

// WindowDecision is what happens to a held referral nobody decided within
// ReviewDays: a verified one gets ReviewDefault; an unverified one is
// rejected when that is the default, and otherwise keeps waiting for its
// verification (or its expiry): the window never rewards an address
// nobody confirmed.
func (r Rules) WindowDecision(verified bool) (status string, decided bool) {
	if verified || r.ReviewDefault == DecisionRejected {
		return r.ReviewDefault, true
	}
	return "", false
}

// WindowReason is the review reason of a referral the window decided.
func WindowReason(reason, status string) string {
	note := ReviewWindowNote + ": " + status
	if reason == "" {
		return note
	}
	return reason + ReasonSeparator + note
}
