package accountstore

import (
	"crypto/rand"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"linkbase/account"
	"linkbase/schema"
	"linkbase/state"
)

// Passwords hashes and compares passwords in a bounded number of slots.
// bcrypt is pure CPU: beyond one job per CPU, more goroutines only share
// the CPUs, so in a burst of sign-ups every request finished at the end of
// the burst (500 at once: p50 ≈ p99 ≈ the whole burst). Queued in turn
// they finish one after another and the median wait is about halved, at
// the same throughput.
type Passwords struct {
	slots   *state.Slots
	dummies *state.Cache[[]byte] // bcrypt cost -> hash of a random password
}

// NewPasswords returns a hasher with the given number of slots (the number
// of CPUs in production).
func NewPasswords(slots int) *Passwords {
	return &Passwords{
		slots:   state.NewSlots(slots),
		dummies: state.NewCache(state.CacheConfig[[]byte]{Name: "dummy_hashes", Max: 8, Local: true}),
	}
}

// Slots are the hashing slots, for their figures (queue length).
func (p *Passwords) Slots() *state.Slots { return p.slots }

// Set sets user's password, hashing it in a slot.
func (p *Passwords) Set(user *core.Record, password string) {
	p.slots.Do(func() { user.SetPassword(password) })
}

// Check compares password with the user's hash, spending the same bcrypt
// work when there is no user or the password could never have been
// stored, so that neither is told apart by timing.
func (p *Passwords) Check(app core.App, user *core.Record, password string) bool {
	hash := p.dummyHash(app) // outside the slot: the first call hashes
	ok := false
	p.slots.Do(func() {
		if user == nil || !account.CouldBePassword(password) {
			_ = bcrypt.CompareHashAndPassword(hash, []byte("not the password"))
			return
		}
		ok = user.ValidatePassword(password)
	})
	return ok
}

// dummyHash is a hash at the cost the users collection hashes with.
func (p *Passwords) dummyHash(app core.App) []byte {
	cost := bcrypt.DefaultCost
	if users, err := app.FindCachedCollectionByNameOrId(schema.Users); err == nil {
		if f, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok && f.Cost > 0 {
			cost = f.Cost
		}
	}
	hash, _ := p.dummies.Get(strconv.Itoa(cost), func() ([]byte, error) {
		return bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
	})
	return hash
}
