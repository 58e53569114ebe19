package accountstore

import (
	"context"
	"crypto/rand"
	"errors"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"golang.org/x/crypto/bcrypt"

	"linkbase/account"
	"linkbase/state"
)

// ErrOverloaded is the error of a hashing job refused because the queue
// would keep it waiting longer than the bound; errors.As finds the
// *Overload with the estimated wait.
var ErrOverloaded = errors.New("the password-hashing queue is full")

// Overload is a refused hashing job: RetryAfter is how long the queue
// ahead of it is estimated to take.
type Overload struct{ RetryAfter time.Duration }

// Error is ErrOverloaded's message.
func (o *Overload) Error() string { return ErrOverloaded.Error() }

// Is makes errors.Is(err, ErrOverloaded) true for an *Overload.
func (o *Overload) Is(target error) bool { return target == ErrOverloaded }

// Busy is the answer to a request whose hashing job was refused (err an
// *Overload): 503 at once, with Retry-After the estimated wait in whole
// seconds (API.md, Operations). Any other error passes through.
func Busy(e *core.RequestEvent, err error) error {
	var o *Overload
	if !errors.As(err, &o) {
		return err
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(o.RetryAfter.Seconds())))))
	return router.NewApiError(http.StatusServiceUnavailable, "The server is busy. Please try again in a few seconds.", nil)
}

// Passwords hashes and compares passwords in a bounded number of slots,
// and refuses work it could not start within a bound. bcrypt is pure CPU:
// beyond one job per CPU, more goroutines only share the CPUs, so in a
// burst of sign-ups every request finished at the end of the burst (500 at
// once: p50 ≈ p99 ≈ the whole burst); queued in turn they finish one after
// another. A queue has a cost too: 1,000 concurrent logins at about 33 a
// second kept the last waiting 30 s, past its client's patience. So a job
// whose estimated wait (the jobs ahead of it, shared among the slots,
// times the moving average of one hash) is over maxWait is refused at
// once with that estimate, for a 503 with Retry-After.
type Passwords struct {
	slots   *state.Slots
	dummies *state.Cache[[]byte] // bcrypt cost -> hash of a random password
	maxWait time.Duration        // 0: never refuse
	queued  atomic.Int64         // admitted jobs, waiting or running
	hashAvg atomic.Int64         // moving average of one job's hash, in ns; 0 until measured
	refused atomic.Int64         // jobs refused (answered 503), since the start
}

// NewPasswords returns a hasher with the given number of slots (the number
// of CPUs in production) that refuses jobs it estimates would wait longer
// than maxWait (never when 0).
func NewPasswords(slots int, maxWait time.Duration) *Passwords {
	return &Passwords{
		slots:   state.NewSlots(slots),
		dummies: state.NewCache(state.CacheConfig[[]byte]{Name: "dummy_hashes", Max: 8, Local: true}),
		maxWait: maxWait,
	}
}

// Slots are the hashing slots, for their figures (queue length).
func (p *Passwords) Slots() *state.Slots { return p.slots }

// Queued is the number of admitted jobs, waiting or running.
func (p *Passwords) Queued() int { return int(p.queued.Load()) }

// Refused is the number of jobs refused since the start (each answered
// 503): the load shed.
func (p *Passwords) Refused() int64 { return p.refused.Load() }

// HashTime is the moving average of one hash (0 until one was measured).
func (p *Passwords) HashTime() time.Duration { return time.Duration(p.hashAvg.Load()) }

// Ticket is an admitted place in the hashing queue, for one job: Set,
// Check or Do runs it in a slot and gives the place back; Cancel gives it
// back unused (a request refused before it hashed). The estimate that
// admitted it can be wrong (the CPUs turn out busier than the average
// hash said): a job still without a slot when the bound has passed since
// its admission is refused then, with an *Overload, so that none waits
// much past the bound. Not for concurrent use.
type Ticket struct {
	p        *Passwords
	users    *core.Collection
	admitted time.Time
	done     bool
}

// Admit takes a place in the queue for one job about a password of users,
// or refuses with an *Overload when the jobs ahead of it (shared among the
// slots, times the moving average of one hash) would keep it waiting
// longer than the bound. Admission is one atomic count, so of a burst
// arriving together exactly those that fit are admitted.
func (p *Passwords) Admit(users *core.Collection) (*Ticket, error) {
	if p.hashAvg.Load() == 0 {
		p.dummyHash(users) // times one hash at the collection's cost
	}
	ahead := p.queued.Add(1) - 1
	if wait := time.Duration(ahead/int64(p.slots.Size())) * p.HashTime(); p.maxWait > 0 && wait > p.maxWait {
		p.queued.Add(-1)
		p.refused.Add(1)
		return nil, &Overload{RetryAfter: wait}
	}
	return &Ticket{p: p, users: users, admitted: time.Now()}, nil
}

// Set sets user's password, hashing it in a slot; an *Overload when no
// slot freed within the bound.
func (t *Ticket) Set(user *core.Record, password string) error {
	return t.run(func() { user.SetPassword(password) }, true)
}

// Check compares password with the user's hash, spending the same bcrypt
// work when there is no user or the password could never have been
// stored, so that neither is told apart by timing; an *Overload when no
// slot freed within the bound.
func (t *Ticket) Check(user *core.Record, password string) (bool, error) {
	hash := t.p.dummyHash(t.users) // outside the slot: the first call hashes
	ok := false
	err := t.run(func() {
		if user == nil || !account.CouldBePassword(password) {
			_ = bcrypt.CompareHashAndPassword(hash, []byte("not the password"))
			return
		}
		ok = user.ValidatePassword(password)
	}, true)
	return ok, err
}

// Do runs job, which hashes or compares about one password (one of
// PocketBase's own routes that do), in a slot, and returns its error, or
// an *Overload when no slot freed within the bound.
func (t *Ticket) Do(job func() error) error {
	var err error
	if overload := t.run(func() { err = job() }, false); overload != nil {
		return overload
	}
	return err
}

// Cancel gives the place back if no job ran; a no-op after one did.
func (t *Ticket) Cancel() {
	if !t.done {
		t.done = true
		t.p.queued.Add(-1)
	}
}

// run runs job in a slot, once, unless no slot frees before the bound has
// passed since admission; measure says whether job is one hash and
// nothing else, to keep the average true.
func (t *Ticket) run(job func(), measure bool) error {
	if t.done {
		panic("accountstore: a Ticket runs one job")
	}
	defer t.Cancel()
	ctx := context.Background()
	if t.p.maxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, t.admitted.Add(t.p.maxWait))
		defer cancel()
	}
	if err := t.p.slots.Acquire(ctx); err != nil {
		t.p.refused.Add(1)
		queue := t.p.queued.Load() / int64(t.p.slots.Size())
		return &Overload{RetryAfter: time.Duration(max(queue, 1)) * t.p.HashTime()}
	}
	defer t.p.slots.Release()
	start := time.Now()
	job()
	if measure {
		t.p.record(time.Since(start))
	}
	return nil
}

// Set sets user's password in a slot (Admit, then Ticket.Set); an
// *Overload when the queue is too long.
func (p *Passwords) Set(user *core.Record, password string) error {
	t, err := p.Admit(user.Collection())
	if err != nil {
		return err
	}
	return t.Set(user, password)
}

// record folds one hash's duration into the moving average (weight 1/8).
func (p *Passwords) record(d time.Duration) {
	for {
		old := p.hashAvg.Load()
		next := int64(d)
		if old > 0 {
			next = old + (int64(d)-old)/8
		}
		if p.hashAvg.CompareAndSwap(old, next) {
			return
		}
	}
}

// dummyHash is a hash at the cost users hashes with; computing it is the
// first measurement of a hash.
func (p *Passwords) dummyHash(users *core.Collection) []byte {
	cost := bcrypt.DefaultCost
	if f, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok && f.Cost > 0 {
		cost = f.Cost
	}
	hash, _ := p.dummies.Get(strconv.Itoa(cost), func() ([]byte, error) {
		start := time.Now()
		hash, err := bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
		if err == nil {
			p.hashAvg.CompareAndSwap(0, int64(time.Since(start)))
		}
		return hash, err
	})
	return hash
}
