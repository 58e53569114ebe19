// Package schema names the collections and fields that Linkbase adds to
// PocketBase, so that migrations, hooks and routes spell them one way.
package schema

// Collection names.
const (
	Users     = "users"
	Referrals = "referrals"
	Rewards   = "rewards"
)

// Fields of the users collection (besides PocketBase's auth fields).
const (
	UserUsername     = "username"
	UserReferralCode = "referral_code"
	UserReferredBy   = "referred_by"
	UserCredits      = "credits"
	UserDisplayName  = "display_name"
	UserBio          = "bio"
	UserAvatar       = "avatar"
	UserTheme        = "theme"
	UserDisabled     = "disabled"
	UserSocials      = "socials" // JSON list of linkbio.Social
)

// Fields of the referrals collection.
const (
	ReferralReferrer     = "referrer"
	ReferralReferredUser = "referred_user"
	ReferralCodeUsed     = "code_used"
	ReferralStatus       = "status"
	ReferralReviewReason = "review_reason"
	ReferralCompletedAt  = "completed_at"
)

// Referral statuses.
const (
	StatusPending    = "pending"
	StatusSuccessful = "successful"
	StatusExpired    = "expired"
	StatusRejected   = "rejected"
)

// Fields of the rewards collection.
const (
	RewardUser     = "user"
	RewardReferral = "referral"
	RewardKind     = "kind"
	RewardAmount   = "amount"
	RewardReason   = "reason"
)

// Reward kinds.
const (
	RewardKindReferral  = "referral"
	RewardKindMilestone = "milestone"
	RewardKindReferred  = "referred_bonus"
	RewardKindManual    = "manual"
	RewardKindReversal  = "reversal"
)
