package webhookstore

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// The data of each event: the record's fields a receiving system needs,
// never a password hash, token key or IP hash. Times are RFC 3339 in UTC,
// null when unset.

// UserData is the data of user.created.
func UserData(u *core.Record) map[string]any {
	return map[string]any{
		"id": u.Id, "email": u.Email(), "username": u.GetString(schema.UserUsername),
		"referral_code": u.GetString(schema.UserReferralCode), "referred_by": nullable(u.GetString(schema.UserReferredBy)),
		"verified": u.Verified(), "created": timeOf(u, "created"),
	}
}

// ReferralData is the data of the referral.* events.
func ReferralData(r *core.Record) map[string]any {
	return map[string]any{
		"id": r.Id, "referrer": r.GetString(schema.ReferralReferrer), "referred_user": nullable(r.GetString(schema.ReferralReferredUser)),
		"code_used": r.GetString(schema.ReferralCodeUsed), "status": r.GetString(schema.ReferralStatus),
		"review_reason": r.GetString(schema.ReferralReviewReason), "created": timeOf(r, "created"),
		"verified_at": timeOf(r, schema.ReferralVerifiedAt), "completed_at": timeOf(r, schema.ReferralCompletedAt),
	}
}

// RewardData is the data of reward.granted.
func RewardData(r *core.Record) map[string]any {
	return map[string]any{
		"id": r.Id, "user": r.GetString(schema.RewardUser), "referral": nullable(r.GetString(schema.RewardReferral)),
		"kind": r.GetString(schema.RewardKind), "amount": r.GetInt(schema.RewardAmount),
		"reason": r.GetString(schema.RewardReason), "created": timeOf(r, "created"),
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeOf(r *core.Record, field string) any {
	t := r.GetDateTime(field)
	if t.IsZero() {
		return nil
	}
	return t.Time().UTC().Format(time.RFC3339Nano)
}
