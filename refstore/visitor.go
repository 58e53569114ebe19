package refstore

import (
	"github.com/pocketbase/pocketbase/core"

	"linkbase/referral"
	"linkbase/schema"
)

// VisitorID identifies a visitor of referral links (API.md: the visitor
// cookie, else the client IP; never the user agent, which a script
// rotates at will): cookie when it is one the app handed out, else a
// salted hash of ip, which fresh says to hand out as the cookie.
func (s *Store) VisitorID(cookie, ip string) (id string, fresh bool, err error) {
	if referral.IsVisitorID(cookie) {
		return cookie, false, nil
	}
	id, err = s.Hash("visitor", ip)
	return id, true, err
}

// VisitKey is what a visit of visitor id is stored as (referral_visits.visitor).
func (s *Store) VisitKey(id string) (string, error) { return s.Hash("visit", id) }

// MarkSignup records on a new user, before it is saved, what its sign-up
// came from, for the fraud signals and its own visit: the client IP's
// hash, its visit key, and the browser (a hash of the visitor cookie, ""
// without one). Each is best effort: a sign-up never fails for them.
func (s *Store) MarkSignup(user *core.Record, ip, cookie string) {
	if ipHash, err := s.HashIP(ip); err == nil {
		user.Set(schema.UserSignupIPHash, ipHash)
	}
	if id, _, err := s.VisitorID(cookie, ip); err == nil {
		if key, err := s.VisitKey(id); err == nil {
			user.Set(schema.UserSignupVisitor, key)
		}
	}
	if referral.IsVisitorID(cookie) {
		if device, err := s.Hash("device", cookie); err == nil {
			user.Set(schema.UserSignupDevice, device)
		}
	}
}
