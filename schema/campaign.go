package schema

// Fields of the referral program at campaign scale (issue 13).

// ReferralVerifiedAt is when the referred user verified their address,
// recorded also on a referral held for review.
const ReferralVerifiedAt = "verified_at"

// Hidden fields of users: what a referred sign-up came from, for the farm
// signals and the sign-up's own visit.
const (
	UserSignupVisitor = "signup_visitor" // the key of the sign-up's visit (referral_visits.visitor)
	UserSignupDevice  = "signup_device"  // a hash of the browser's visitor cookie; "" without one
)

// VisitReferral is the referral whose sign-up a visit row stands for, ""
// for a page visit nobody signed up from yet: each sign-up claims one
// visit, so visits are never fewer than sign-ups.
const VisitReferral = "referral"

// More fields of the referral_settings row.
const (
	SettingFarmLimit       = "farm_limit"
	SettingReviewDays      = "review_days"
	SettingReviewDefault   = "review_default"
	SettingAttributionDays = "attribution_days"
)

// The referral rollups, kept by every write that changes them, so that
// stats cost the same at any history size.
const (
	ReferralDaily  = "referral_daily"  // one row per referrer and UTC day
	ReferralTotals = "referral_totals" // one row per referrer
)

// Fields of the referral rollups.
const (
	RollupReferrer      = "referrer"
	RollupDate          = "date" // referral_daily: "2006-01-02"
	RollupVisits        = "visits"
	RollupSignups       = "signups"
	RollupSuccessful    = "successful"
	RollupPending       = "pending"        // referral_totals
	RollupExpired       = "expired"        // referral_totals
	RollupRejected      = "rejected"       // referral_totals
	RollupCreditsEarned = "credits_earned" // referral_totals: referral and milestone rewards
)

// ReferralReviews is the view of held referrals for the dashboard.
const ReferralReviews = "referral_reviews"

// Collections of outgoing webhooks.
const (
	Webhooks          = "webhooks"
	WebhookOutbox     = "webhook_outbox"     // one message to one webhook, until delivered or given up
	WebhookDeliveries = "webhook_deliveries" // one row per attempt
)

// Fields of webhooks.
const (
	WebhookURL     = "url"
	WebhookSecret  = "secret"
	WebhookEvents  = "events"
	WebhookEnabled = "enabled"
)

// Fields of webhook_outbox and webhook_deliveries.
const (
	OutboxWebhook     = "webhook"
	OutboxMessageID   = "message_id" // the webhook-id header, the same on every retry
	OutboxType        = "type"
	OutboxPayload     = "payload"
	OutboxStatus      = "status" // pending, delivered, failed
	OutboxAttempts    = "attempts"
	OutboxNextAttempt = "next_attempt_at"
	OutboxLastError   = "last_error"

	DeliveryOutbox     = "outbox"
	DeliveryAttempt    = "attempt"
	DeliveryStatusCode = "status_code"
	DeliveryError      = "error"
	DeliveryDurationMS = "duration_ms"
	DeliverySuccess    = "success"
)

// Statuses of a webhook_outbox row.
const (
	OutboxPending   = "pending"
	OutboxDelivered = "delivered"
	OutboxFailed    = "failed"
)
