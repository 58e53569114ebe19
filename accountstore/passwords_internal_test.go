package accountstore

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// TestAdmitRefusesWhatWouldWaitTooLong: with 2 slots, a hash of 1 s and
// a bound of 3 s, a job with 6 or 7 jobs ahead waits 3 s and is admitted,
// one with 8 ahead would wait 4 s and is refused at once with that
// estimate. Of 100 arriving together while nothing finishes, exactly 8
// are admitted; a place given back admits one more.
func TestAdmitRefusesWhatWouldWaitTooLong(t *testing.T) {
	p := NewPasswords(2, 3*time.Second)
	p.hashAvg.Store(int64(time.Second)) // as if measured
	users := core.NewAuthCollection("users")

	var admitted []*Ticket
	var mu sync.Mutex
	var refused atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			ticket, err := p.Admit(users)
			var o *Overload
			switch {
			case err == nil:
				mu.Lock()
				admitted = append(admitted, ticket)
				mu.Unlock()
			case errors.As(err, &o) && errors.Is(err, ErrOverloaded) && o.RetryAfter >= 4*time.Second:
				refused.Add(1)
			default:
				t.Errorf("Admit: %v", err)
			}
		})
	}
	wg.Wait()
	if len(admitted) != 8 || refused.Load() != 92 || p.Queued() != 8 || p.Refused() != 92 {
		t.Fatalf("%d admitted, %d refused (%d counted), %d queued; want 8, 92, 8", len(admitted), refused.Load(), p.Refused(), p.Queued())
	}

	if _, err := p.Admit(users); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("a ninth: %v", err)
	}
	admitted[0].Cancel()
	admitted[0].Cancel() // once only
	next, err := p.Admit(users)
	if err != nil || p.Queued() != 8 {
		t.Fatalf("after a place was given back: %v, %d queued", err, p.Queued())
	}
	if err := next.Do(func() error { return errors.New("the job's own error") }); err == nil || p.Queued() != 7 {
		t.Fatalf("Do: %v, %d queued; want the job's error and the place back", err, p.Queued())
	}

	unbounded := NewPasswords(1, 0)
	unbounded.hashAvg.Store(int64(time.Hour))
	for range 50 {
		if _, err := unbounded.Admit(users); err != nil {
			t.Fatalf("a bound of 0 refused: %v", err)
		}
	}
}

// TestTicketGivesUpAtTheBound: the estimate admitted a job, but the slot
// ahead of it never frees (the CPUs were busier than the average said):
// the job is refused once the bound has passed since its admission,
// instead of waiting on, and gives its place back.
func TestTicketGivesUpAtTheBound(t *testing.T) {
	p := NewPasswords(1, 50*time.Millisecond)
	users := core.NewAuthCollection("users")
	p.hashAvg.Store(int64(time.Millisecond)) // an estimate far too low
	holder, err := p.Admit(users)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	held := make(chan struct{})
	go func() { _ = holder.Do(func() error { close(held); <-release; return nil }) }()
	<-held

	late, err := p.Admit(users) // one hash ahead: 1 ms, admitted
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	err = late.Do(func() error { ran = true; return nil })
	var o *Overload
	if !errors.As(err, &o) || o.RetryAfter <= 0 || ran || p.Refused() != 1 {
		t.Fatalf("Do = %v (ran %v, %d refused), want an *Overload without running, counted", err, ran, p.Refused())
	}
	close(release)
	for p.Queued() != 0 {
		time.Sleep(time.Millisecond) // the holder finishing
	}
}
