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
// in the sign-up's transaction, so the burst and farm counts see every
// earlier sign-up.
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

// FarmReasons are the farm signals of user's sign-up as they stand now,
// counting the referred accounts made since: what a verification checks
// again before it completes a referral.
func (s *Store) FarmReasons(tx core.App, user *core.Record) ([]string, error) {
	rules, err := s.Rules()
	if err != nil {
		return nil, err
	}
	farm, err := farmOf(tx, rules, user, s.clock())
	if err != nil {
		return nil, err
	}
	return rules.FarmReasons(farm), nil
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
	var err error
	if s.Farm, err = farmOf(tx, rules, user, now); err != nil {
		return s, err
	}
	if rules.BurstLimit == 0 {
		return s, nil
	}
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
	// The usual rate: the referrer's sign-ups of the baseline days before
	// today, from the daily rollup (at most that many rows).
	today := now.UTC().Truncate(24 * time.Hour)
	err = tx.DB().NewQuery("SELECT COALESCE(SUM([[signups]]), 0) FROM {{referral_daily}}" +
		" WHERE [[referrer]] = {:r} AND [[date]] >= {:from} AND [[date]] < {:today}").
		Bind(dbx.Params{"r": referrer.Id, "from": day(today.AddDate(0, 0, -referral.BurstBaselineDays)), "today": day(today)}).
		Row(&s.BaselineSignups)
	return s, err
}

// farmOf counts the other referred accounts made within the IP window from
// user's sign-up address and browser.
func farmOf(tx core.App, rules referral.Rules, user *core.Record, now time.Time) (referral.Farm, error) {
	var f referral.Farm
	if rules.FarmLimit == 0 {
		return f, nil
	}
	since, err := types.ParseDateTime(now.Add(-rules.IPWindow))
	if err != nil {
		return f, err
	}
	for _, c := range []struct {
		field string
		into  *int
	}{
		{schema.UserSignupIPHash, &f.SameAddress},
		{schema.UserSignupDevice, &f.SameDevice},
	} {
		value := user.GetString(c.field)
		if value == "" {
			continue
		}
		n, err := tx.CountRecords(schema.Users,
			dbx.HashExp{c.field: value},
			dbx.NewExp("[[created]] >= {:since} AND [[referred_by]] != '' AND [[id]] != {:me}",
				dbx.Params{"since": since.String(), "me": user.Id}))
		if err != nil {
			return f, err
		}
		*c.into = int(n)
	}
	return f, nil
}
