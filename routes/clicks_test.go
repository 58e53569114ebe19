package routes_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/routes"
)

func TestClick(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "shown link redirects to its url",
			Method: http.MethodGet, URL: "/l/" + linkID("first"),
			ExpectedStatus: http.StatusFound,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if loc := res.Header.Get("Location"); loc != "https://example.com/first" {
					t.Errorf("Location = %q", loc)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q", res.Header.Get("Cache-Control"))
				}
			},
		},
		{Name: "disabled link", Method: http.MethodGet, URL: "/l/" + linkID("disabled"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link before its start", Method: http.MethodGet, URL: "/l/" + linkID("upcoming"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link after its end", Method: http.MethodGet, URL: "/l/" + linkID("ended"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "unknown link", Method: http.MethodGet, URL: "/l/nosuchlink0000", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link id with sql metacharacters", Method: http.MethodGet, URL: "/l/x'%20OR%201=1--", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = annWithLinks
		s.Test(t)
	}
}

// sumInt reads one integer with a bound query.
func sumInt(t testing.TB, app core.App, query string, params dbx.Params) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestThousandConcurrentClicksAreExact(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h") // only the explicit flush below
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)
	id := linkID("first")

	const clicks = 1000
	var wg sync.WaitGroup
	statuses := make([]int, clicks)
	for i := range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = bioRequest(h, http.MethodGet, "/l/"+id, nil).status
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusFound {
			t.Fatalf("click %d answered %d", i, s)
		}
	}

	p := dbx.Params{"id": id}
	if n := sumInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != 0 {
		t.Fatalf("clicks written before the flush: %d (each hit must not be a write)", n)
	}
	if err := routes.FlushCounters(app); err != nil {
		t.Fatal(err)
	}
	if n := sumInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != clicks {
		t.Fatalf("links.clicks = %d, want %d", n, clicks)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(clicks), 0) FROM link_daily WHERE link = {:id} AND date = '2026-11-24'", p); n != clicks {
		t.Fatalf("link_daily clicks = %d, want %d", n, clicks)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(clicks), 0) FROM profile_daily", nil); n != clicks {
		t.Fatalf("profile_daily clicks = %d, want %d", n, clicks)
	}
	// A second flush with nothing buffered changes nothing.
	if err := routes.FlushCounters(app); err != nil {
		t.Fatal(err)
	}
	if n := sumInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", p); n != clicks {
		t.Fatalf("links.clicks after an empty flush = %d", n)
	}
}

func TestShutdownAfterBurstLosesNothing(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)

	var wg sync.WaitGroup
	for i := range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%3 == 0 {
				bioRequest(h, http.MethodGet, "/ann", map[string]string{"Referer": "https://t.co/abc"})
			} else {
				bioRequest(h, http.MethodGet, "/l/"+linkID("second"), nil)
			}
		}()
	}
	wg.Wait()

	// What `serve` gets on SIGINT/SIGTERM: OnTerminate, before the app closes.
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	if n := sumInt(t, app, "SELECT clicks FROM links WHERE id = {:id}", dbx.Params{"id": linkID("second")}); n != 200 {
		t.Fatalf("clicks after shutdown = %d, want 200", n)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil); n != 100 {
		t.Fatalf("views after shutdown = %d, want 100", n)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM referrer_daily WHERE host = 't.co'", nil); n != 100 {
		t.Fatalf("t.co views after shutdown = %d, want 100", n)
	}
}
