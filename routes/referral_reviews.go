package routes

import (
	"net/http"
	"regexp"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/referral"
	"linkbase/refstore"
)

// maxReviewIDs bounds the referrals decided by one request (one
// transaction).
const maxReviewIDs = 500

// reviewBodyLimit fits maxReviewIDs ids with room to spare.
const reviewBodyLimit = 64 << 10

var recordIDRe = regexp.MustCompile(`^[a-z0-9]{15}$`)

// handleReferralReviews decides held referrals in bulk (superusers): the
// dashboard's referral_reviews view lists them, this takes the decision
// for many at once. Referrals that are not held (any more) are skipped.
func handleReferralReviews(e *core.RequestEvent) error {
	form := reviewForm{}
	errs, err := readJSON(e, map[string]any{"ids": &form.IDs, "decision": &form.Decision})
	if err != nil {
		return err
	}
	form.validate(errs)
	if len(errs) > 0 {
		return e.BadRequestError("Failed to decide the reviews.", errs)
	}
	n, err := refstore.Decide(e.App, form.IDs, form.Decision)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]int{"decided": n})
}

// reviewForm is the body of POST /api/admin/referral-reviews.
type reviewForm struct {
	IDs      []string
	Decision string
}

func (f *reviewForm) validate(errs validation.Errors) {
	if _, bad := errs["ids"]; !bad {
		switch {
		case len(f.IDs) == 0:
			errs["ids"] = apperr.Required
		case len(f.IDs) > maxReviewIDs:
			errs["ids"] = validation.NewError("ids_too_many", "At most 500 ids at once.")
		default:
			for _, id := range f.IDs {
				if !recordIDRe.MatchString(id) {
					errs["ids"] = validation.NewError("ids_invalid", "Every id must be a referral id (15 characters of a-z and 0-9).")
					break
				}
			}
		}
	}
	checkField(errs, "decision", f.Decision, func() error {
		if !referral.IsDecision(f.Decision) {
			return referral.ErrDecisionInvalid
		}
		return nil
	})
}
