package hooks

import (
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/linkbio"
	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/stores"
)

// bindLinks binds the rules of links (defaults, the per-user limit, URL,
// title and schedule validation) and drops what is cached of a link and
// its owner's profile after every committed write, from any source.
func bindLinks(app core.App, s *stores.Set) {
	app.OnRecordCreateRequest(schema.Links).BindFunc(defaultNewLink)
	app.OnRecordCreate(schema.Links).BindFunc(enforceLinkLimit)
	app.OnRecordValidate(schema.Links).BindFunc(validateLink)

	invalidate := func(e *core.RecordEvent) error {
		owners := []string{e.Record.GetString(schema.LinkOwner)}
		if orig := e.Record.Original(); orig != nil {
			owners = append(owners, orig.GetString(schema.LinkOwner))
		}
		s.Links.InvalidateLink(e.Record.Id, owners...)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(schema.Links).BindFunc(invalidate)
	app.OnRecordAfterUpdateSuccess(schema.Links).BindFunc(invalidate)
	app.OnRecordAfterDeleteSuccess(schema.Links).BindFunc(invalidate)
}

// defaultNewLink makes a link created through the API without "enabled"
// or "position" visible and last, which is what someone adding a link
// expects.
func defaultNewLink(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, ok := info.Body[schema.LinkEnabled]; !ok {
		e.Record.Set(schema.LinkEnabled, true)
	}
	if _, ok := info.Body[schema.LinkPosition]; !ok {
		var next struct{ N int }
		err := e.App.DB().NewQuery("SELECT COALESCE(MAX([[position]]) + 1, 0) AS n FROM {{links}} WHERE [[owner]] = {:owner}").
			Bind(dbx.Params{"owner": e.Record.GetString(schema.LinkOwner)}).One(&next)
		if err != nil {
			return err
		}
		e.Record.Set(schema.LinkPosition, next.N)
	}
	return e.Next()
}

// enforceLinkLimit counts the owner's links and inserts the new one in one
// transaction; PocketBase runs transactions one at a time, so concurrent
// creates cannot both see 99 links.
func enforceLinkLimit(e *core.RecordEvent) error {
	return runInTx(e, func(txApp core.App) error {
		n, err := txApp.CountRecords(schema.Links, dbx.HashExp{schema.LinkOwner: e.Record.GetString(schema.LinkOwner)})
		if err != nil {
			return err
		}
		if n >= schema.MaxLinksPerUser {
			return validation.Errors{schema.LinkOwner: apperr.Field(linkbio.ErrTooManyLinks)}
		}
		return e.Next()
	})
}

// validateLink adds the URL, title and schedule rules to PocketBase's field
// validation, for every write (API, dashboard, app code).
func validateLink(e *core.RecordEvent) error {
	e.Record.Set(schema.LinkTitle, strings.TrimSpace(e.Record.GetString(schema.LinkTitle)))

	errs := validation.Errors{}
	if err := linkbio.ValidateURL(e.Record.GetString(schema.LinkURL)); err != nil {
		errs[schema.LinkURL] = apperr.Field(err)
	}
	if err := linkstore.ScheduleOf(e.Record).Check(); err != nil {
		errs[schema.LinkEndsAt] = apperr.Field(err)
	}
	return mergeFieldErrors(errs, e.Next())
}
