package refstore

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/referral"
	"linkbase/schema"
)

// ReviewReason is why the sign-up of user, referred by referrer, must wait
// for an admin's review, or "" (see referral.Rules.ReviewReason). It runs
// in the sign-up's transaction, so the burst count sees every earlier
// sign-up.
func (s *Store) ReviewReason(tx core.App, referrer, user *core.Record) (string, error) {
	rules, err := s.Rules()
	if err != nil {
		return "", err
	}
	signals, err := signals(tx, rules, referrer, user, s.clock())
	if err != nil {
		return "", err
	}
	return rules.ReviewReason(signals), nil
}

// signals gathers the fraud signals of a referred sign-up at now.
func signals(tx core.App, rules referral.Rules, referrer, user *core.Record, now time.Time) (referral.SignUp, error) {
	s := referral.SignUp{Email: user.Email(), IPHash: user.GetString(schema.UserSignupIPHash)}
	since := now.Add(-rules.IPWindow)
	if referrer.GetDateTime("created").Time().After(since) {
		s.ReferrerIPHashes = append(s.ReferrerIPHashes, referrer.GetString(schema.UserSignupIPHash))
	}
	if referrer.GetDateTime(schema.UserLoginAt).Time().After(since) {
		s.ReferrerIPHashes = append(s.ReferrerIPHashes, referrer.GetString(schema.UserLoginIPHash))
	}
	if rules.BurstLimit > 0 {
		from, err := types.ParseDateTime(now.Add(-rules.BurstWindow))
		if err != nil {
			return s, err
		}
		n, err := tx.CountRecords(schema.Referrals, dbx.HashExp{schema.ReferralReferrer: referrer.Id},
			dbx.NewExp("[[created]] >= {:from}", dbx.Params{"from": from.String()}))
		if err != nil {
			return s, err
		}
		s.RecentOnCode = int(n)
	}
	return s, nil
}
