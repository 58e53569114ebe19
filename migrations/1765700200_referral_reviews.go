package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
)

// referralReviewsQuery lists the referrals held for an admin, oldest first,
// with their reasons, whether their user verified, and the referrer's
// history from the rollups (sign-ups, successful, rejected, still pending).
const referralReviewsQuery = `SELECT r.id, r.created, r.referrer, r.referred_user, r.code_used, r.review_reason, r.verified_at,
  COALESCE(t.signups, 0) AS referrer_signups, COALESCE(t.successful, 0) AS referrer_successful,
  COALESCE(t.rejected, 0) AS referrer_rejected, COALESCE(t.pending, 0) AS referrer_pending
FROM referrals r LEFT JOIN referral_totals t ON t.referrer = r.referrer
WHERE r.status = 'pending' AND r.review_reason != ''
ORDER BY r.created ASC`

// referral_reviews (issue 13) is the dashboard's queue of held referrals:
// a view, so it is always exactly the held rows; decisions are taken in
// bulk with POST /api/admin/referral-reviews, or one at a time on the
// referrals collection. Superusers only.
func init() {
	m.Register(func(app core.App) error {
		view := core.NewViewCollection(schema.ReferralReviews)
		view.ViewQuery = referralReviewsQuery
		return app.Save(view)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.ReferralReviews)
		if err != nil {
			return err
		}
		return app.Delete(c)
	})
}
