package state

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// finalRetryEvery is how long Stop waits between attempts of the final
// flush while its deadline allows (the database may be busy at shutdown).
const finalRetryEvery = 200 * time.Millisecond

// FlusherConfig configures a Flusher.
type FlusherConfig struct {
	// Name identifies the buffer in logs and figures.
	Name string
	// Every is the interval between flushes while the flusher runs.
	Every time.Duration
	// Flush writes what is buffered. On failure it must leave the counts
	// in the buffer (Counts.Restore), so that a later flush retries them.
	Flush func(ctx context.Context) error
	// Pending, if set, is the size of the buffer, for the figures.
	Pending func() int
	// OnError, if set, hears of every failed flush of the interval loop.
	OnError func(error)
	// Clock dates the flushes in the figures; time.Now when nil.
	Clock Clock
}

// Flusher writes a buffer out on one lifecycle: Start (when the app starts
// serving) runs a loop that flushes every interval and whenever Kick says
// the buffer is full; Stop (when the app terminates) ends the loop and
// flushes a last time, retrying until its context's deadline; Stop runs
// once however often it is called. Flushes never overlap. Safe for
// concurrent use.
type Flusher struct {
	cfg FlusherConfig

	kick       chan struct{} // capacity 1: a kick while one is pending is a no-op
	stop, done chan struct{}
	startOnce  sync.Once
	started    atomic.Bool // the loop was started
	stopOnce   sync.Once
	stopErr    error

	flushMu sync.Mutex // one flush at a time

	mu      sync.Mutex
	figures FlusherStats
}

// FlusherStats are a flusher's figures.
type FlusherStats struct {
	Name      string
	Every     time.Duration // the interval between flushes
	Pending   int
	Flushes   uint64    // successful flushes
	Failures  uint64    // failed flushes
	LastFlush time.Time // of the last successful flush
	LastError string    // of the last failed flush, "" after a success
}

// NewFlusher returns a flusher that is not running yet.
func NewFlusher(cfg FlusherConfig) *Flusher {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Flusher{
		cfg:     cfg,
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		figures: FlusherStats{Name: cfg.Name, Every: cfg.Every},
	}
}

// Start runs the flush loop in one goroutine. Calls after the first, and
// after Stop, do nothing.
func (f *Flusher) Start() {
	f.startOnce.Do(func() {
		select {
		case <-f.stop:
			close(f.done) // stopped before it ever ran
		default:
			f.started.Store(true)
			go f.loop()
		}
	})
}

func (f *Flusher) loop() {
	defer close(f.done)
	ticker := time.NewTicker(f.cfg.Every)
	defer ticker.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-ticker.C:
		case <-f.kick:
		}
		if err := f.Flush(context.Background()); err != nil && f.cfg.OnError != nil {
			f.cfg.OnError(err)
		}
	}
}

// Started reports whether the loop was ever started (the app served), for
// a worker whose last pass means nothing in a process that never served
// (a CLI command).
func (f *Flusher) Started() bool { return f.started.Load() }

// Kick asks the loop for a flush now, without waiting for it and without
// blocking: a request path may call it on every hit.
func (f *Flusher) Kick() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Flush writes the buffer now, after any flush in progress.
func (f *Flusher) Flush(ctx context.Context) error {
	f.flushMu.Lock()
	defer f.flushMu.Unlock()
	err := f.cfg.Flush(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.figures.Failures++
		f.figures.LastError = err.Error()
	} else {
		f.figures.Flushes++
		f.figures.LastFlush = f.cfg.Clock()
		f.figures.LastError = ""
	}
	return err
}

// Stop ends the loop, waiting for a flush in progress, then flushes a
// last time, retrying a failed flush until ctx is done. It returns the
// last flush's error; later calls return the same without flushing.
func (f *Flusher) Stop(ctx context.Context) error {
	f.stopOnce.Do(func() {
		close(f.stop)
		f.Start() // never started: marks it done
		<-f.done
		for {
			f.stopErr = f.Flush(ctx)
			if f.stopErr == nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(finalRetryEvery):
			}
		}
	})
	return f.stopErr
}

// Stats returns the flusher's figures.
func (f *Flusher) Stats() FlusherStats {
	f.mu.Lock()
	s := f.figures
	f.mu.Unlock()
	if f.cfg.Pending != nil {
		s.Pending = f.cfg.Pending()
	}
	return s
}
