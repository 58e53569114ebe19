package linkbio

import (
	"errors"
	"time"
)

// Schedule is when a link is shown: enabled, and inside [StartsAt, EndsAt)
// where a zero time means no bound.
type Schedule struct {
	Enabled  bool
	StartsAt time.Time
	EndsAt   time.Time
}

// VisibleAt reports whether the link is shown at now.
func (s Schedule) VisibleAt(now time.Time) bool {
	if !s.Enabled {
		return false
	}
	if !s.StartsAt.IsZero() && now.Before(s.StartsAt) {
		return false
	}
	if !s.EndsAt.IsZero() && !now.Before(s.EndsAt) {
		return false
	}
	return true
}

// NextChange returns the first time after now at which VisibleAt may
// change, or the zero time if it never will. A cached page is good until
// then.
func (s Schedule) NextChange(now time.Time) time.Time {
	if !s.Enabled {
		return time.Time{}
	}
	if !s.StartsAt.IsZero() && now.Before(s.StartsAt) {
		return s.StartsAt
	}
	if !s.EndsAt.IsZero() && now.Before(s.EndsAt) {
		return s.EndsAt
	}
	return time.Time{}
}

// Errors about links and analytics requests.
var (
	ErrTooManyLinks    = errors.New("too many links")
	ErrScheduleInvalid = errors.New("ends_at is not after starts_at")
	ErrDaysInvalid     = errors.New("invalid number of days")
)

// Check refuses a window that closes before it opens.
func (s Schedule) Check() error {
	if !s.StartsAt.IsZero() && !s.EndsAt.IsZero() && !s.EndsAt.After(s.StartsAt) {
		return ErrScheduleInvalid
	}
	return nil
}
