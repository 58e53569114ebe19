package linkbio

import (
	"errors"
	"fmt"
)

// Errors about a new order of a profile's blocks (POST /api/links/order):
// each of the others is an ErrOrder.
var (
	ErrOrder           = errors.New("ids must list each of your links once")
	ErrOrderUnknown    = fmt.Errorf("%w: an id is not one of your links", ErrOrder)
	ErrOrderRepeated   = fmt.Errorf("%w: an id is listed twice", ErrOrder)
	ErrOrderIncomplete = fmt.Errorf("%w: some of your links are not listed", ErrOrder)
)

// CheckOrder reports whether ids lists each of have (the owner's block
// ids) exactly once, in any order. An id that is not theirs is reported
// before a repeat, a repeat before a missing one, so the answer names the
// first thing a client would fix.
func CheckOrder(ids, have []string) error {
	own := make(map[string]bool, len(have))
	for _, id := range have {
		own[id] = true
	}
	seen := make(map[string]bool, len(ids))
	repeated := false
	for _, id := range ids {
		if !own[id] {
			return ErrOrderUnknown
		}
		repeated = repeated || seen[id]
		seen[id] = true
	}
	if repeated {
		return ErrOrderRepeated
	}
	if len(seen) != len(own) {
		return ErrOrderIncomplete
	}
	return nil
}
