package refstore_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// TestRulesFromAnOlderRow: the settings row as the first migration saves
// it, before later migrations add fields (a fresh install runs them with
// the hooks bound), parses with those fields' defaults.
func TestRulesFromAnOlderRow(t *testing.T) {
	c := core.NewBaseCollection(schema.ReferralSettings)
	c.Fields.Add(&core.NumberField{Name: schema.SettingExpiryDays}, &core.NumberField{Name: schema.SettingPerReferral})
	r := core.NewRecord(c)
	r.Set(schema.SettingExpiryDays, 14)
	r.Set(schema.SettingPerReferral, 10)
	rules, err := refstore.RulesFromRecord(r)
	d := referral.DefaultRules()
	if err != nil || rules.ReviewDays != d.ReviewDays || rules.ReviewDefault != d.ReviewDefault ||
		rules.FarmLimit != d.FarmLimit || rules.AttributionDays != d.AttributionDays {
		t.Fatalf("RulesFromRecord = %+v, %v", rules, err)
	}
}
