package routes

import (
	"net/http"
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// maxPerPage bounds GET /api/referrals' per_page.
const maxPerPage = 100

var referralStatuses = map[string]bool{
	schema.StatusPending: true, schema.StatusSuccessful: true, schema.StatusExpired: true, schema.StatusRejected: true,
}

// handleReferrals lists the logged-in user's referred users, newest first.
func (srv *server) handleReferrals(e *core.RequestEvent) error {
	q := listQuery{Page: 1, PerPage: 20}
	if errs := q.read(e.Request.URL.Query()); len(errs) > 0 {
		return e.BadRequestError("Invalid query parameters.", errs)
	}
	items, total, err := srv.Referrals.List(e.Auth.Id, q.Status, q.Page, q.PerPage)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"page": q.Page, "per_page": q.PerPage, "total_items": total,
		"total_pages": (total + q.PerPage - 1) / q.PerPage, "items": items,
	})
}

// listQuery is the query of GET /api/referrals.
type listQuery struct {
	Page, PerPage int
	Status        string
}

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
