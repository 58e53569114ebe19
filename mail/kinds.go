package mail

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// Kind is one kind of mail to a user: who may get it, the page its link
// opens, the token the link carries and its wording. A kind without a
// token (a notification) leaves NewToken and ValidFor nil; its link is the
// page itself.
type Kind struct {
	Name     string // in the throttle's keys and the logs
	Wants    func(user *core.Record) bool
	Page     string // path under the app URL
	NewToken func(user *core.Record) (string, error)
	ValidFor func(users *core.Collection) time.Duration
	Wording  Wording
}

// The account mails.
var (
	PasswordReset = Kind{
		Name: "password_reset", Page: "/reset-password",
		Wants:    func(user *core.Record) bool { return !user.GetBool(schema.UserDisabled) },
		NewToken: (*core.Record).NewPasswordResetToken,
		ValidFor: func(c *core.Collection) time.Duration { return c.PasswordResetToken.DurationTime() },
		Wording:  ResetWording,
	}
	Verification = Kind{
		Name: "verification", Page: "/verify-email",
		Wants:    func(user *core.Record) bool { return !user.Verified() && !user.GetBool(schema.UserDisabled) },
		NewToken: (*core.Record).NewVerificationToken,
		ValidFor: func(c *core.Collection) time.Duration { return c.VerificationToken.DurationTime() },
		Wording:  VerificationWording,
	}
	// EmailChange names PocketBase's email-change mail in the throttle:
	// PocketBase writes and sends that mail itself, so the kind needs no
	// more than its name.
	EmailChange = Kind{Name: "email_change"}
)

// The referral notices to a referrer (issue 13), unless they turned
// referral mails off. Both share one name, so one throttle: at most one
// referral mail per address per ThrottleWindow.
var (
	ReferralNews = Kind{
		Name: "referral_news", Page: "/dashboard#referrals",
		Wants:   wantsReferralNews,
		Wording: ReferralNewsWording,
	}
	MilestoneNews = Kind{
		Name: "referral_news", Page: "/dashboard#referrals",
		Wants:   wantsReferralNews,
		Wording: MilestoneWording,
	}
)

func wantsReferralNews(user *core.Record) bool {
	return user.GetBool(schema.UserNotifyReferrals) && !user.GetBool(schema.UserDisabled)
}
