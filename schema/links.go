package schema

// Collections of the link-in-bio feature.
const (
	Links         = "links"
	LinkDaily     = "link_daily"
	ProfileDaily  = "profile_daily"
	ReferrerDaily = "referrer_daily"
	// ViewDaily holds a profile's views of a day by device, browser and
	// utm_source (DailyDimension), one row per value.
	ViewDaily = "view_daily"
	// ProfileVisitors holds who was counted as a profile's visitor on a
	// day (a salted hash), so unique_views counts each once.
	ProfileVisitors = "profile_visitors"
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
	// DailyUniqueViews is profile_daily's count of distinct visitors.
	DailyUniqueViews = "unique_views"
	DailyDimension   = "dimension" // view_daily: DimensionDevice, …
	DailyValue       = "value"
	VisitorID        = "visitor" // profile_visitors: the salted hash
)

// Dimensions of view_daily, named as GET /api/analytics names them.
const (
	DimensionDevice  = "device"
	DimensionBrowser = "browser"
	DimensionUTM     = "utm_source"
)

// MaxLinksPerUser caps the links of one profile.
const MaxLinksPerUser = 100
