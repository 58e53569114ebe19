package schema

// Collections of the referral program (issue 4).
const (
	RetiredCodes     = "retired_codes"
	ReferralSettings = "referral_settings"
	ReferralVisits   = "referral_visits"
	Secrets          = "secrets"
)

// Fields the referral program adds to users, for fraud signals. They are
// hidden: only superusers and the app itself see or set them.
const (
	UserSignupIPHash = "signup_ip_hash"
	UserLoginIPHash  = "login_ip_hash"
	UserLoginAt      = "login_at"
)

// Fields of retired_codes: codes that were replaced or whose owner was
// deleted, kept so that they answer referral_expired rather than
// referral_invalid. owner is a plain id, not a relation, so the row
// survives its owner.
const (
	RetiredCode  = "code"
	RetiredOwner = "owner"
)

// Fields of referral_visits: one row per referrer, UTC day and visitor.
const (
	VisitReferrer = "referrer"
	VisitDay      = "day"
	VisitVisitor  = "visitor"
)

// Fields of secrets: app-generated secrets, superusers only.
const (
	SecretName  = "name"
	SecretValue = "value"
)

// SecretIPSalt names the salt of IP and visitor hashes.
const SecretIPSalt = "ip_salt"

// Fields of the single referral_settings row (reward and fraud rules).
const (
	SettingPerReferral   = "credits_per_referral"
	SettingMilestones    = "milestones"
	SettingReferredBonus = "referred_bonus"
	SettingLifetimeCap   = "lifetime_cap"
	SettingExpiryDays    = "expiry_days"
	SettingBurstLimit    = "burst_limit"
	SettingBurstMinutes  = "burst_window_minutes"
	SettingIPWindowDays  = "ip_window_days"
)
