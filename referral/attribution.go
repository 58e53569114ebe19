package referral

import "regexp"

// AttributionCookie remembers the referral code of the last referral link
// a browser opened (set by GET /register?referral=CODE), so a later
// sign-up in that browser without a code (form, API, OAuth2) is
// attributed to it; an explicit code wins, and a remembered code that is
// no longer valid is ignored without an error.
const AttributionCookie = "lb_ref"

// VisitorCookie identifies a browser across referral links and days (a
// random-looking id the app hands out, nothing personal), so that a
// changed IP does not count it twice and several sign-ups from one
// browser show as a farm.
const VisitorCookie = "lb_visitor"

// visitorIDRe is the shape of the visitor ids the app hands out as
// VisitorCookie (a hex salted hash).
var visitorIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

// IsVisitorID reports whether a VisitorCookie value is one the app could
// have handed out; anything else is ignored.
func IsVisitorID(v string) bool { return visitorIDRe.MatchString(v) }
