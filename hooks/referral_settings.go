package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
)

var (
	errSettingsSingle = validation.NewError("settings_single", "There is one referral settings row; edit it instead.")
	errSettingsRules  = validation.NewError("rules_invalid", "Invalid rules: milestones must be a list of {\"successful\": n, \"reward\": n} with distinct positive counts and rewards.")
)

// bindReferralSettings keeps referral_settings a single valid row and
// drops the cached rules (and the stats that show next_milestone) as soon
// as an admin changes it.
func bindReferralSettings(app core.App, s *stores.Set) {
	app.OnRecordCreate(schema.ReferralSettings).BindFunc(func(e *core.RecordEvent) error {
		n, err := e.App.CountRecords(schema.ReferralSettings)
		if err != nil {
			return err
		}
		if n > 0 {
			return validation.Errors{"id": errSettingsSingle}
		}
		return e.Next()
	})
	app.OnRecordDelete(schema.ReferralSettings).BindFunc(func(e *core.RecordEvent) error {
		return validation.Errors{"id": errSettingsSingle}
	})
	app.OnRecordValidate(schema.ReferralSettings).BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if _, err := refstore.RulesFromRecord(e.Record); err != nil {
			return validation.Errors{schema.SettingMilestones: errSettingsRules.SetMessage(err.Error())}
		}
		return nil
	})
	invalidate := func(e *core.RecordEvent) error {
		s.Referrals.InvalidateRules()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(schema.ReferralSettings).BindFunc(invalidate)
	app.OnRecordAfterUpdateSuccess(schema.ReferralSettings).BindFunc(invalidate)
}
