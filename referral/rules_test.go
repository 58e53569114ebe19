package referral_test

import (
	"errors"
	"slices"
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
		"zero review days":       func(r *referral.Rules) { r.ReviewDays = 0 },
		"unknown review default": func(r *referral.Rules) { r.ReviewDefault = "expired" },
		"farm limit of one":      func(r *referral.Rules) { r.FarmLimit = 1 },
		"negative farm limit":    func(r *referral.Rules) { r.FarmLimit = -1 },
		"negative attribution":   func(r *referral.Rules) { r.AttributionDays = -1 },
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

func TestBurstThresholdFollowsTheReferrersUsualRate(t *testing.T) {
	r := referral.DefaultRules() // 20 in 10 minutes, factor 10 over 7 days
	perDay := func(n int) int { return n * referral.BurstBaselineDays }
	for _, c := range []struct {
		name     string
		baseline int
		want     int
	}{
		{"a new referrer gets the limit", 0, 20},
		{"a quiet referrer gets the limit", perDay(50), 20},
		// 1,440 a day are 10 per 10-minute window: 10 times that is 100.
		{"a busy campaign is judged against its own rate", perDay(1440), 100},
		{"a very popular code", perDay(14400), 1000},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := r.BurstThreshold(c.baseline); got != c.want {
				t.Errorf("BurstThreshold(%d) = %d, want %d", c.baseline, got, c.want)
			}
		})
	}
	off := referral.DefaultRules()
	off.BurstLimit = 0
	if got := off.BurstThreshold(1_000_000); got != 0 {
		t.Errorf("burst limit 0: threshold %d, want 0 (off)", got)
	}
	popular := referral.SignUp{Email: "fan@example.com", RecentOnCode: 99, BaselineSignups: perDay(1440)}
	if got := r.ReviewReason(popular); got != "" {
		t.Errorf("99 recent sign-ups on a code that usually gets 10 per window: %q, want none", got)
	}
	popular.RecentOnCode = 100
	if got := r.ReviewReason(popular); got != referral.ReasonBurst {
		t.Errorf("100 recent sign-ups: %q, want a burst", got)
	}
}

func TestFarmReasons(t *testing.T) {
	r := referral.DefaultRules() // the third account from one address or browser is a farm
	for _, c := range []struct {
		name string
		farm referral.Farm
		want []string
	}{
		{"first account", referral.Farm{}, nil},
		{"second account from one address", referral.Farm{SameAddress: 1}, nil},
		{"third account from one address", referral.Farm{SameAddress: 2}, []string{referral.ReasonFarmAddress}},
		{"sixth account from one browser", referral.Farm{SameDevice: 5}, []string{referral.ReasonFarmDevice}},
		{"both", referral.Farm{SameAddress: 9, SameDevice: 9}, []string{referral.ReasonFarmAddress, referral.ReasonFarmDevice}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := r.FarmReasons(c.farm); !slices.Equal(got, c.want) {
				t.Errorf("FarmReasons(%+v) = %q, want %q", c.farm, got, c.want)
			}
		})
	}
	off := referral.DefaultRules()
	off.FarmLimit = 0
	if got := off.FarmReasons(referral.Farm{SameAddress: 100, SameDevice: 100}); got != nil {
		t.Errorf("farm limit 0: %q, want none", got)
	}
	if got := r.ReviewReason(referral.SignUp{Email: "bob@example.com", Farm: referral.Farm{SameAddress: 5}}); got != referral.ReasonFarmAddress {
		t.Errorf("ReviewReason of a farm's sixth account = %q", got)
	}
}

func TestAtVerification(t *testing.T) {
	farm := []string{referral.ReasonFarmAddress}
	for _, c := range []struct {
		name, reason string
		farm         []string
		want         string
		complete     bool
	}{
		{"clean", "", nil, "", true},
		{"a burst alone completes", referral.ReasonBurst, nil, referral.ReasonBurst, true},
		{"a burst that turned out a farm is held", referral.ReasonBurst, farm,
			referral.ReasonBurst + "; " + referral.ReasonFarmAddress, false},
		{"a farm's first account is held once the farm is known", "", farm, referral.ReasonFarmAddress, false},
		{"a reason is not repeated", referral.ReasonFarmAddress, farm, referral.ReasonFarmAddress, false},
		{"same IP stays held", referral.ReasonSameIP, nil, referral.ReasonSameIP, false},
		{"disposable with a burst stays held", referral.ReasonDisposable + "; " + referral.ReasonBurst, nil,
			referral.ReasonDisposable + "; " + referral.ReasonBurst, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, complete := referral.AtVerification(c.reason, c.farm)
			if got != c.want || complete != c.complete {
				t.Errorf("AtVerification(%q, %q) = %q, %v; want %q, %v", c.reason, c.farm, got, complete, c.want, c.complete)
			}
		})
	}
}

func TestWindowDecision(t *testing.T) {
	approve := referral.DefaultRules()
	reject := referral.DefaultRules()
	reject.ReviewDefault = referral.DecisionRejected
	for _, c := range []struct {
		name     string
		rules    referral.Rules
		verified bool
		status   string
		decided  bool
	}{
		{"verified, default successful", approve, true, referral.DecisionSuccessful, true},
		{"unverified waits for its verification", approve, false, "", false},
		{"verified, default rejected", reject, true, referral.DecisionRejected, true},
		{"unverified, default rejected", reject, false, referral.DecisionRejected, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, decided := c.rules.WindowDecision(c.verified)
			if status != c.status || decided != c.decided {
				t.Errorf("WindowDecision(%v) = %q, %v; want %q, %v", c.verified, status, decided, c.status, c.decided)
			}
		})
	}
	if got := referral.WindowReason(referral.ReasonSameIP, "successful"); got != "same IP as the referrer; review window passed: successful" {
		t.Errorf("WindowReason = %q", got)
	}
}
