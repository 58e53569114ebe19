package handoff_test

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/handoff"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// fakeNode is a replica's way to a primary app in the same process; it
// can lose the primary's answers (the write applied, the replica never
// told) and be cut off.
type fakeNode struct {
	primary  core.App
	isPri    atomic.Bool
	loseNext atomic.Int32 // answers to lose
	down     atomic.Bool
	sent     atomic.Int32
}

func (f *fakeNode) IsPrimary() bool { return f.isPri.Load() }

func (f *fakeNode) Forward(*core.RequestEvent, url.Values) error {
	return errors.New("no request is forwarded in these tests")
}

func (f *fakeNode) Send(_ context.Context, w handoff.Write) error {
	f.sent.Add(1)
	if f.down.Load() {
		return errors.New("primary unreachable")
	}
	if err := handoff.ApplyHere(f.primary, w); err != nil {
		return err
	}
	if f.loseNext.Load() > 0 {
		f.loseNext.Add(-1)
		return errors.New("answer lost")
	}
	return nil
}

type key struct{ Page, Day string }

// counting builds a buffer named "views" on app writing to a table made
// for the test.
func counting(t *testing.T, app core.App) *handoff.Buffer[key] {
	t.Helper()
	if _, err := app.DB().NewQuery("CREATE TABLE views (page TEXT, day TEXT, n INTEGER, PRIMARY KEY (page, day))").Execute(); err != nil {
		t.Fatal(err)
	}
	return handoff.NewBuffer(app, handoff.BufferConfig[key]{
		Name: "views", FlushAt: 1000, Max: 1000, Every: time.Hour,
		Write: func(tx core.App, batch map[key]int64) (func(), error) {
			for k, n := range batch {
				_, err := tx.DB().NewQuery(`INSERT INTO views (page, day, n) VALUES ({:p}, {:d}, {:n})
					ON CONFLICT (page, day) DO UPDATE SET n = n + excluded.n`).
					Bind(dbx.Params{"p": k.Page, "d": k.Day, "n": n}).Execute()
				if err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
	})
}

func total(t *testing.T, app core.App) int64 {
	t.Helper()
	var n int64
	if err := app.DB().NewQuery("SELECT coalesce(sum(n), 0) FROM views").Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestABufferOnASingleNodeWritesHere(t *testing.T) {
	app := testutil.NewApp(t)
	b := counting(t, app)
	b.Add(key{"ann", "d1"}, 2)
	b.Add(key{"ann", "d1"}, 1)
	if err := b.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := total(t, app); got != 3 || b.Len() != 0 {
		t.Fatalf("written %d, %d left", got, b.Len())
	}
}

func TestAReplicaHandsEachCountToThePrimaryExactlyOnce(t *testing.T) {
	primary, replica := testutil.NewApp(t), testutil.NewApp(t)
	counting(t, primary) // registers how the primary applies the batches
	b := counting(t, replica)
	node := &fakeNode{primary: primary}
	handoff.SetNode(replica, node)

	// The primary applies the first batch, but its answer is lost: the
	// replica keeps the batch and sends it again, as it was.
	b.Add(key{"ann", "d1"}, 3)
	node.loseNext.Store(1)
	if err := b.Flush(context.Background()); err == nil {
		t.Fatal("a lost answer reported success")
	}
	if b.Len() != 1 {
		t.Fatalf("pending %d, want the unacknowledged batch", b.Len())
	}
	b.Add(key{"bob", "d1"}, 2) // counted meanwhile: the next batch
	if err := b.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := total(t, primary); got != 5 {
		t.Fatalf("the primary holds %d, want 3 once and 2", got)
	}

	// Cut off, the replica keeps what it counts; nothing is lost or doubled
	// when the primary is back, with many goroutines counting meanwhile.
	node.down.Store(true)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				b.Add(key{"ann", []string{"d1", "d2"}[(g+i)%2]}, 1)
				if i%25 == 0 {
					_ = b.Flush(context.Background())
				}
			}
		}()
	}
	wg.Wait()
	if got := total(t, primary); got != 5 {
		t.Fatalf("the primary got %d while cut off", got)
	}
	node.down.Store(false)
	node.loseNext.Store(1)
	_ = b.Flush(context.Background())
	if err := b.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := total(t, primary); got != 805 || b.Len() != 0 {
		t.Fatalf("the primary holds %d (%d pending), want 805", got, b.Len())
	}
	if got := total(t, replica); got != 0 {
		t.Fatalf("the replica wrote %d itself", got)
	}
}

// TestTerminateHandsTheLastCounts: on shutdown a replica's final flush
// reaches the primary too.
func TestAStoppedReplicaBufferHandsItsLastCounts(t *testing.T) {
	primary, replica := testutil.NewApp(t), testutil.NewApp(t)
	counting(t, primary)
	b := counting(t, replica)
	handoff.SetNode(replica, &fakeNode{primary: primary})
	b.Flusher().Start()
	b.Add(key{"ann", "d1"}, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Flusher().Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := total(t, primary); got != 4 {
		t.Fatalf("the primary holds %d after the replica stopped, want 4", got)
	}
}
