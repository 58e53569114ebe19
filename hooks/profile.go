package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/apperr"
	"linkbase/linkbio"
	"linkbase/schema"
)

func registerProfile(app core.App) {
	app.OnRecordValidate(schema.Users).BindFunc(validateTheme)
}

// validateTheme holds users.theme to the documented schema (linkbio.Theme),
// whoever writes it: the SDK, the dashboard or app code.
func validateTheme(e *core.RecordEvent) error {
	errs := validation.Errors{}
	raw, _ := e.Record.GetRaw(schema.UserTheme).(types.JSONRaw)
	if _, err := linkbio.ParseTheme(raw); err != nil {
		errs[schema.UserTheme] = apperr.Field(err)
	}
	return mergeFieldErrors(errs, e.Next())
}
