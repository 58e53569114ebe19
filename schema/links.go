package schema

// Collections of the link-in-bio feature.
const (
	Links         = "links"
	LinkDaily     = "link_daily"
	ProfileDaily  = "profile_daily"
	ReferrerDaily = "referrer_daily"
)

// Fields of the links collection.
const (
	LinkOwner    = "owner"
	LinkTitle    = "title"
	LinkURL      = "url"
	LinkPosition = "position"
	LinkEnabled  = "enabled"
	LinkStartsAt = "starts_at"
	LinkEndsAt   = "ends_at"
	LinkClicks   = "clicks"
	LinkKind     = "kind" // linkbio.KindLink or KindHeader; "" is a link
)

// Fields of the daily rollups. Dates are UTC days written "2006-01-02".
const (
	DailyLink    = "link"
	DailyOwner   = "owner"
	DailyProfile = "profile"
	DailyDate    = "date"
	DailyHost    = "host"
	DailyViews   = "views"
	DailyClicks  = "clicks"
)

// MaxLinksPerUser caps the links of one profile.
const MaxLinksPerUser = 100
