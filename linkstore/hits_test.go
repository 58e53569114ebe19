package linkstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkstore"
	"linkbase/testutil"
)

var ctx = context.Background()

func TestThousandConcurrentClicksAreExact(t *testing.T) {
	app, links, _ := annWithLinks(t, nil)
	id := testutil.LinkID("first")

	const clicks = 1000
	var wg sync.WaitGroup
	for range clicks {
		wg.Go(func() {
			if _, err := links.Follow(id, true); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	p := dbx.Params{"id": id}
	if n := testutil.QueryInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != 0 {
		t.Fatalf("clicks written before the flush: %d (each hit must not be a write)", n)
	}
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != clicks {
		t.Fatalf("links.clicks = %d, want %d", n, clicks)
	}
	if n := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(clicks), 0) FROM link_daily WHERE link = {:id} AND date = '2026-11-24'", p); n != clicks {
		t.Fatalf("link_daily clicks = %d, want %d", n, clicks)
	}
	if n := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(clicks), 0) FROM profile_daily", nil); n != clicks {
		t.Fatalf("profile_daily clicks = %d, want %d", n, clicks)
	}
	// A second flush with nothing buffered changes nothing.
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != clicks {
		t.Fatalf("links.clicks after an empty flush = %d", n)
	}
}

func TestShutdownAfterBurstLosesNothing(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			if i%3 == 0 {
				links.CountView(linkstore.View{Profile: ann.Id, Host: "t.co"})
			} else if _, err := links.Follow(testutil.LinkID("second"), true); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	// What `serve` gets on SIGINT/SIGTERM: OnTerminate, before the app closes.
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", dbx.Params{"id": testutil.LinkID("second")}); n != 200 {
		t.Fatalf("clicks after shutdown = %d, want 200", n)
	}
	if n := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil); n != 100 {
		t.Fatalf("views after shutdown = %d, want 100", n)
	}
	if n := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM referrer_daily WHERE host = 't.co'", nil); n != 100 {
		t.Fatalf("t.co views after shutdown = %d, want 100", n)
	}
}
