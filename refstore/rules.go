package refstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

// Rules returns the reward and fraud rules in force, from the cache that
// the settings row's hooks invalidate. The defaults apply when the
// settings row is missing.
func (s *Store) Rules() (referral.Rules, error) {
	return s.rules.Get("rules", func() (referral.Rules, error) {
		rows, err := s.app.FindRecordsByFilter(schema.ReferralSettings, "", "", 1, 0)
		if err != nil {
			return referral.Rules{}, fmt.Errorf("loading referral settings: %w", err)
		}
		if len(rows) == 0 {
			return referral.DefaultRules(), nil
		}
		return RulesFromRecord(rows[0])
	})
}

// RulesFromRecord parses and validates a referral_settings row. A field
// the row's collection does not have yet (the row is saved by an earlier
// migration than the one that added it) takes its default.
func RulesFromRecord(r *core.Record) (referral.Rules, error) {
	d := referral.DefaultRules()
	orDefault := func(field string, def int) int {
		if r.Collection().Fields.GetByName(field) == nil {
			return def
		}
		return r.GetInt(field)
	}
	rules := referral.Rules{
		PerReferral:   r.GetInt(schema.SettingPerReferral),
		ReferredBonus: r.GetInt(schema.SettingReferredBonus),
		LifetimeCap:   r.GetInt(schema.SettingLifetimeCap),
		ExpiryDays:    r.GetInt(schema.SettingExpiryDays),
		BurstLimit:    r.GetInt(schema.SettingBurstLimit),
		BurstWindow:   time.Duration(r.GetInt(schema.SettingBurstMinutes)) * time.Minute,
		IPWindow:      time.Duration(r.GetInt(schema.SettingIPWindowDays)) * 24 * time.Hour,

		FarmLimit:       orDefault(schema.SettingFarmLimit, d.FarmLimit),
		ReviewDays:      orDefault(schema.SettingReviewDays, d.ReviewDays),
		ReviewDefault:   r.GetString(schema.SettingReviewDefault),
		AttributionDays: orDefault(schema.SettingAttributionDays, d.AttributionDays),
	}
	if r.Collection().Fields.GetByName(schema.SettingReviewDefault) == nil {
		rules.ReviewDefault = d.ReviewDefault
	}
	if raw := r.GetString(schema.SettingMilestones); raw != "" && raw != "null" {
		if err := json.Unmarshal([]byte(raw), &rules.Milestones); err != nil {
			return rules, fmt.Errorf("%w: milestones must be a list of {\"successful\", \"reward\"}", referral.ErrRulesInvalid)
		}
	}
	return rules, rules.Validate()
}
