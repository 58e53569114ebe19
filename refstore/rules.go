package refstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

const rulesKey = "rules"

// rulesCache holds the parsed referral_settings row; its hooks invalidate it.
func rulesCache(app core.App) *Cache[referral.Rules] {
	return app.Store().GetOrSet("linkbase.referralRules", func() any {
		return NewCache[referral.Rules](1)
	}).(*Cache[referral.Rules])
}

// Rules returns the reward and fraud rules in force. The defaults apply when
// the settings row is missing.
func Rules(app core.App) (referral.Rules, error) {
	return rulesCache(app).Get(rulesKey, func() (referral.Rules, error) {
		rows, err := app.FindRecordsByFilter(schema.ReferralSettings, "", "", 1, 0)
		if err != nil {
			return referral.Rules{}, fmt.Errorf("loading referral settings: %w", err)
		}
		if len(rows) == 0 {
			return referral.DefaultRules(), nil
		}
		return RulesFromRecord(rows[0])
	})
}

// InvalidateRules drops the cached rules, after the settings row changed.
func InvalidateRules(app core.App) { rulesCache(app).Clear() }

// RulesFromRecord parses and validates a referral_settings row.
func RulesFromRecord(r *core.Record) (referral.Rules, error) {
	rules := referral.Rules{
		PerReferral:   r.GetInt(schema.SettingPerReferral),
		ReferredBonus: r.GetInt(schema.SettingReferredBonus),
		LifetimeCap:   r.GetInt(schema.SettingLifetimeCap),
		ExpiryDays:    r.GetInt(schema.SettingExpiryDays),
		BurstLimit:    r.GetInt(schema.SettingBurstLimit),
		BurstWindow:   time.Duration(r.GetInt(schema.SettingBurstMinutes)) * time.Minute,
		IPWindow:      time.Duration(r.GetInt(schema.SettingIPWindowDays)) * 24 * time.Hour,
	}
	if raw := r.GetString(schema.SettingMilestones); raw != "" && raw != "null" {
		if err := json.Unmarshal([]byte(raw), &rules.Milestones); err != nil {
			return rules, fmt.Errorf("%w: milestones must be a list of {\"successful\", \"reward\"}", referral.ErrRulesInvalid)
		}
	}
	return rules, rules.Validate()
}
