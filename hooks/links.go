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

// bindLinks binds the rules of links (defaults, the per-user limit and the
// next position, block kind, URL, title and schedule validation) and
// drops what is cached of a link and its owner's profile after every
// committed write, from any source.
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
// visible, which is what someone adding a link expects; one sent without
// "position" is placed last by enforceLinkLimit, inside the create's
// transaction.
func defaultNewLink(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, ok := info.Body[schema.LinkEnabled]; !ok {
		e.Record.Set(schema.LinkEnabled, true)
	}
	if _, ok := info.Body[schema.LinkPosition]; !ok {
		e.Record.Set(placeLast, true)
	}
	return e.Next()
}

// placeLast marks (in the record's custom data, never stored) a new link
// to be given the position after its owner's last link.
const placeLast = "@linkbase.placeLast"

// enforceLinkLimit counts the owner's links and inserts the new one in one
// transaction; PocketBase runs transactions one at a time, so concurrent
// creates cannot both see 99 links, nor both take the same last position.
func enforceLinkLimit(e *core.RecordEvent) error {
	return runInTx(e, func(txApp core.App) error {
		owner := e.Record.GetString(schema.LinkOwner)
		n, err := txApp.CountRecords(schema.Links, dbx.HashExp{schema.LinkOwner: owner})
		if err != nil {
			return err
		}
		if n >= schema.MaxLinksPerUser {
			return validation.Errors{schema.LinkOwner: apperr.Field(linkbio.ErrTooManyLinks)}
		}
		if last, _ := e.Record.Get(placeLast).(bool); last {
			next, err := linkstore.NextPosition(txApp, owner)
			if err != nil {
				return err
			}
			e.Record.Set(schema.LinkPosition, next)
		}
		return e.Next()
	})
}

// validateLink adds the block, URL, title and schedule rules to
// PocketBase's field validation, for every write (API, dashboard, app
// code). A block saved without a kind is stored as a link.
func validateLink(e *core.RecordEvent) error {
	e.Record.Set(schema.LinkTitle, strings.TrimSpace(e.Record.GetString(schema.LinkTitle)))
	kind := linkbio.NormalizeKind(e.Record.GetString(schema.LinkKind))
	e.Record.Set(schema.LinkKind, kind)

	errs := validation.Errors{}
	kindErr, urlErr := linkbio.CheckBlock(kind, e.Record.GetString(schema.LinkURL))
	if kindErr != nil {
		errs[schema.LinkKind] = apperr.Field(kindErr)
	}
	if urlErr != nil {
		errs[schema.LinkURL] = apperr.Field(urlErr)
	}
	if err := linkstore.ScheduleOf(e.Record).Check(); err != nil {
		errs[schema.LinkEndsAt] = apperr.Field(err)
	}
	err := mergeFieldErrors(errs, e.Next())
	// PocketBase's select field refuses an unknown kind too, with its own
	// generic code; the API's is kind_invalid.
	if all, ok := err.(validation.Errors); ok && kindErr != nil {
		all[schema.LinkKind] = errs[schema.LinkKind]
	}
	return err
}
