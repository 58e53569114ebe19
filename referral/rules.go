package referral

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Milestone is a bonus granted once a referrer reaches a number of
// successful referrals.
type Milestone struct {
	Successful int `json:"successful"`
	Reward     int `json:"reward"`
}

// Rules are the reward and fraud rules an admin edits in the dashboard.
type Rules struct {
	PerReferral   int         // credits to the referrer per successful referral
	Milestones    []Milestone // sorted by Successful, ascending
	ReferredBonus int         // credits to the referred user, 0 for none
	LifetimeCap   int         // most credits a referrer earns from referrals; 0 for no cap
	ExpiryDays    int         // pending referrals expire after this many days
	BurstLimit    int         // referrals on one code within BurstWindow before review; 0 for no limit
	BurstWindow   time.Duration
	IPWindow      time.Duration // how recent a referrer's sign-up or login IP counts, and a farm's accounts

	// FarmLimit is the number of referred accounts from one client address
	// or one browser (within IPWindow) from which each of them is held: a
	// sign-up farm. 0 turns the signal off.
	FarmLimit int
	// ReviewDays is how long a held referral waits for an admin; then
	// ReviewDefault applies (see WindowDecision).
	ReviewDays    int
	ReviewDefault string // DecisionSuccessful or DecisionRejected
	// AttributionDays is how long a browser remembers the code of the last
	// referral link it opened (the lb_ref cookie); 0 remembers nothing.
	AttributionDays int
}

// The decisions an admin (or the review window) takes on a held referral:
// the statuses it can end in.
const (
	DecisionSuccessful = "successful"
	DecisionRejected   = "rejected"
)

// IsDecision reports whether d is a decision on a held referral.
func IsDecision(d string) bool { return d == DecisionSuccessful || d == DecisionRejected }

// ErrDecisionInvalid reports a decision that is not one of IsDecision's.
var ErrDecisionInvalid = errors.New("invalid review decision")

// ErrRulesInvalid reports reward rules that cannot be applied.
var ErrRulesInvalid = errors.New("invalid referral rules")

// DefaultRules are the rules of a fresh install.
func DefaultRules() Rules {
	return Rules{
		PerReferral:   10,
		Milestones:    []Milestone{{5, 25}, {10, 50}, {25, 150}},
		ReferredBonus: 0,
		LifetimeCap:   0,
		ExpiryDays:    14,
		BurstLimit:    20,
		BurstWindow:   10 * time.Minute,
		IPWindow:      30 * 24 * time.Hour,

		FarmLimit:       3,
		ReviewDays:      7,
		ReviewDefault:   DecisionSuccessful,
		AttributionDays: 60,
	}
}

// Validate checks the rules and sorts the milestones.
func (r *Rules) Validate() error {
	if r.PerReferral < 0 || r.ReferredBonus < 0 || r.LifetimeCap < 0 || r.BurstLimit < 0 || r.AttributionDays < 0 {
		return fmt.Errorf("%w: amounts and limits must not be negative", ErrRulesInvalid)
	}
	if r.ExpiryDays < 1 || r.ReviewDays < 1 {
		return fmt.Errorf("%w: the expiry and review windows must be at least one day", ErrRulesInvalid)
	}
	if r.FarmLimit < 0 || r.FarmLimit == 1 {
		return fmt.Errorf("%w: the farm limit is 0 (off) or at least 2 accounts", ErrRulesInvalid)
	}
	if !IsDecision(r.ReviewDefault) {
		return fmt.Errorf("%w: the review default is %q or %q", ErrRulesInvalid, DecisionSuccessful, DecisionRejected)
	}
	seen := map[int]bool{}
	for _, m := range r.Milestones {
		if m.Successful < 1 || m.Reward < 1 || seen[m.Successful] {
			return fmt.Errorf("%w: milestones need distinct positive counts and positive rewards", ErrRulesInvalid)
		}
		seen[m.Successful] = true
	}
	sort.Slice(r.Milestones, func(i, j int) bool { return r.Milestones[i].Successful < r.Milestones[j].Successful })
	return nil
}

// Grant is what one successful referral earns.
type Grant struct {
	Referral  int // to the referrer, for the referral itself
	Milestone int // to the referrer, when this referral reaches a milestone
	Referred  int // to the referred user
}

// GrantFor computes the rewards of the referral that brings the referrer to
// successful successful referrals, when they have already earned earned
// credits from referrals and milestones. The cap clips the referrer's
// rewards, never the referred user's bonus.
func (r Rules) GrantFor(successful, earned int) Grant {
	g := Grant{Referral: r.PerReferral, Referred: r.ReferredBonus}
	for _, m := range r.Milestones {
		if m.Successful == successful {
			g.Milestone = m.Reward
		}
	}
	if r.LifetimeCap > 0 {
		room := max(r.LifetimeCap-earned, 0)
		g.Referral = min(g.Referral, room)
		g.Milestone = min(g.Milestone, room-g.Referral)
	}
	return g
}

// NextMilestone is the first milestone above successful, or nil.
func (r Rules) NextMilestone(successful int) *Milestone {
	for _, m := range r.Milestones {
		if m.Successful > successful {
			return &m
		}
	}
	return nil
}
