package referral_test

import (
	"errors"
	"testing"
	"time"

	"linkbase/referral"
)

func TestGrantFor(t *testing.T) {
	defaults := referral.DefaultRules()
	capped := referral.DefaultRules()
	capped.LifetimeCap = 60
	doubleSided := referral.DefaultRules()
	doubleSided.ReferredBonus = 5
	doubleSided.LifetimeCap = 10

	cases := []struct {
		name       string
		rules      referral.Rules
		successful int
		earned     int
		want       referral.Grant
	}{
		{"first referral", defaults, 1, 0, referral.Grant{Referral: 10}},
		{"fifth referral reaches the first milestone", defaults, 5, 40, referral.Grant{Referral: 10, Milestone: 25}},
		{"sixth referral has no milestone", defaults, 6, 75, referral.Grant{Referral: 10}},
		{"tenth referral", defaults, 10, 140, referral.Grant{Referral: 10, Milestone: 50}},
		{"twenty-fifth referral", defaults, 25, 325, referral.Grant{Referral: 10, Milestone: 150}},
		{"cap leaves room for part of the referral", capped, 6, 55, referral.Grant{Referral: 5}},
		{"cap clips the milestone", capped, 5, 40, referral.Grant{Referral: 10, Milestone: 10}},
		{"cap reached earns nothing", capped, 7, 60, referral.Grant{}},
		{"earned above the cap earns nothing", capped, 7, 90, referral.Grant{}},
		{"referred bonus is not capped", doubleSided, 2, 10, referral.Grant{Referred: 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.rules.GrantFor(c.successful, c.earned); got != c.want {
				t.Errorf("GrantFor(%d, %d) = %+v, want %+v", c.successful, c.earned, got, c.want)
			}
		})
	}
}

func TestNextMilestone(t *testing.T) {
	r := referral.DefaultRules()
	for _, c := range []struct {
		successful int
		want       *referral.Milestone
	}{
		{0, &referral.Milestone{Successful: 5, Reward: 25}},
		{5, &referral.Milestone{Successful: 10, Reward: 50}},
		{24, &referral.Milestone{Successful: 25, Reward: 150}},
		{25, nil},
	} {
		got := r.NextMilestone(c.successful)
		if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
			t.Errorf("NextMilestone(%d) = %v, want %v", c.successful, got, c.want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	ok := referral.DefaultRules()
	ok.Milestones = []referral.Milestone{{10, 50}, {5, 25}}
	if err := ok.Validate(); err != nil || ok.Milestones[0].Successful != 5 {
		t.Fatalf("Validate() = %v, milestones %v; want nil and sorted", err, ok.Milestones)
	}
	for name, mutate := range map[string]func(*referral.Rules){
		"negative per referral":  func(r *referral.Rules) { r.PerReferral = -1 },
		"negative cap":           func(r *referral.Rules) { r.LifetimeCap = -5 },
		"zero expiry":            func(r *referral.Rules) { r.ExpiryDays = 0 },
		"duplicate milestone":    func(r *referral.Rules) { r.Milestones = []referral.Milestone{{5, 1}, {5, 2}} },
		"zero milestone reward":  func(r *referral.Rules) { r.Milestones = []referral.Milestone{{5, 0}} },
		"negative burst limit":   func(r *referral.Rules) { r.BurstLimit = -1 },
		"milestone at zero refs": func(r *referral.Rules) { r.Milestones = []referral.Milestone{{0, 5}} },
	} {
		t.Run(name, func(t *testing.T) {
			r := referral.DefaultRules()
			mutate(&r)
			if err := r.Validate(); !errors.Is(err, referral.ErrRulesInvalid) {
				t.Errorf("Validate() = %v, want ErrRulesInvalid", err)
			}
		})
	}
}

func TestReviewReason(t *testing.T) {
	r := referral.DefaultRules()
	r.BurstLimit = 3
	r.BurstWindow = time.Minute
	cases := []struct {
		name string
		s    referral.SignUp
		want string
	}{
		{"clean", referral.SignUp{Email: "bob@example.com", IPHash: "a", ReferrerIPHashes: []string{"b"}}, ""},
		{"same ip", referral.SignUp{Email: "bob@example.com", IPHash: "a", ReferrerIPHashes: []string{"b", "a"}}, referral.ReasonSameIP},
		{"unknown ip never matches", referral.SignUp{Email: "bob@example.com", ReferrerIPHashes: []string{""}}, ""},
		{"disposable domain", referral.SignUp{Email: "bob@mailinator.com"}, referral.ReasonDisposable},
		{"disposable subdomain", referral.SignUp{Email: "bob@x.yopmail.com"}, referral.ReasonDisposable},
		{"disposable domain with a trailing dot", referral.SignUp{Email: "x@mailinator.com."}, referral.ReasonDisposable},
		{"disposable domain in capitals", referral.SignUp{Email: "x@MAILINATOR.com"}, referral.ReasonDisposable},
		{"lookalike domain is not disposable", referral.SignUp{Email: "bob@notmailinator.com"}, ""},
		{"below the burst limit", referral.SignUp{Email: "bob@example.com", RecentOnCode: 2}, ""},
		{"at the burst limit", referral.SignUp{Email: "bob@example.com", RecentOnCode: 3}, referral.ReasonBurst},
		{"every signal", referral.SignUp{Email: "bob@yopmail.com", IPHash: "a", ReferrerIPHashes: []string{"a"}, RecentOnCode: 9},
			referral.ReasonSameIP + "; " + referral.ReasonDisposable + "; " + referral.ReasonBurst},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.ReviewReason(c.s); got != c.want {
				t.Errorf("ReviewReason() = %q, want %q", got, c.want)
			}
		})
	}
	noBurst := referral.DefaultRules()
	noBurst.BurstLimit = 0
	if got := noBurst.ReviewReason(referral.SignUp{Email: "a@example.com", RecentOnCode: 1000}); got != "" {
		t.Errorf("burst limit 0 must disable the burst signal, got %q", got)
	}
}
