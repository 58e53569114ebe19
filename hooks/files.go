package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/imagecheck"
)

// bindFiles holds every file upload of every collection (the avatar
// through the collection API or the dashboard, and any file field added
// later) to imagecheck's limits: an image whose header claims more than
// 4096 × 4096 pixels or 16 megapixels is refused with a field error
// before it is stored, so nothing (PocketBase's thumbnails, the og.png
// preview) ever decodes it.
func bindFiles(app core.App) {
	app.OnRecordValidate().BindFunc(checkImages)
}

func checkImages(e *core.RecordEvent) error {
	errs := validation.Errors{}
	for _, field := range e.Record.Collection().Fields {
		if field.Type() != core.FieldTypeFile {
			continue
		}
		for _, f := range e.Record.GetUnsavedFiles(field.GetName()) {
			r, err := f.Reader.Open()
			if err != nil {
				return err
			}
			err = imagecheck.Check(r)
			r.Close()
			if err != nil {
				errs[field.GetName()] = apperr.Field(err)
				break
			}
		}
	}
	return mergeFieldErrors(errs, e.Next())
}
