package routes

import (
	"errors"
	"net/http"
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// maxPerPage bounds GET /api/referrals' per_page.
const maxPerPage = 100

var referralStatuses = map[string]bool{
	schema.StatusPending: true, schema.StatusSuccessful: true, schema.StatusExpired: true, schema.StatusRejected: true,
}

// handleReferrals lists the logged-in user's referred users, newest first,
// by page or by cursor (next_cursor of the previous answer, which stays
// right while referrals are added and costs the same at any depth).
func (srv *server) handleReferrals(e *core.RequestEvent) error {
	q := listQuery{ListQuery: refstore.ListQuery{Page: 1, PerPage: 20}}
	if errs := q.read(e.Request.URL.Query()); len(errs) > 0 {
		return e.BadRequestError("Invalid query parameters.", errs)
	}
	p, err := srv.Referrals.List(e.Auth.Id, q.ListQuery)
	if errors.Is(err, refstore.ErrCursorInvalid) {
		return e.BadRequestError("Invalid query parameters.", validation.Errors{"cursor": apperr.Field(err)})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	answer := map[string]any{
		"per_page": q.PerPage, "total_items": p.Total, "total_pages": (p.Total + q.PerPage - 1) / q.PerPage,
		"items": p.Items, "next_cursor": nil,
	}
	if q.Cursor == "" {
		answer["page"] = q.Page
	}
	if p.NextCursor != "" {
		answer["next_cursor"] = p.NextCursor
	}
	return e.JSON(http.StatusOK, answer)
}

// listQuery is the query of GET /api/referrals.
type listQuery struct{ refstore.ListQuery }

// maxCursorLength bounds a cursor (a timestamp and a row number, encoded).
const maxCursorLength = 100

func (q *listQuery) read(values map[string][]string) validation.Errors {
	errs := validation.Errors{}
	get := func(name string) string {
		if v := values[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if v := get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			errs["page"] = validation.NewError("page_invalid", "Must be a whole number from 1.")
		}
		q.Page = n
	}
	if v := get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPerPage {
			errs["per_page"] = validation.NewError("per_page_invalid", "Must be a whole number from 1 to 100.")
		}
		q.PerPage = n
	}
	q.Status = get("status")
	if q.Status != "" && !referralStatuses[q.Status] {
		errs["status"] = validation.NewError("status_invalid", "Must be one of pending, successful, expired, rejected.")
	}
	q.Cursor = get("cursor")
	switch {
	case len(q.Cursor) > maxCursorLength:
		errs["cursor"] = apperr.Field(refstore.ErrCursorInvalid)
	case q.Cursor != "" && get("page") != "":
		errs["cursor"] = validation.NewError("cursor_invalid", "Send either page or cursor, not both.")
	}
	return errs
}

// referralStats is the body of GET /api/referral-stats.
type referralStats struct {
	ReferralCode string `json:"referral_code"`
	ReferralLink string `json:"referral_link"`
	refstore.Counts
}

// handleReferralStats answers the logged-in user's referral counts; visits
// count once their buffer is written (within the flush interval).
func (srv *server) handleReferralStats(e *core.RequestEvent) error {
	counts, err := srv.Referrals.UserStats(e.Auth.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	code := e.Auth.GetString(schema.UserReferralCode)
	return e.JSON(http.StatusOK, referralStats{
		ReferralCode: code,
		ReferralLink: referral.Link(e.App.Settings().Meta.AppURL, code),
		Counts:       counts,
	})
}
