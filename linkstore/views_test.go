package linkstore_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"

	"linkbase/linkstore"
	"linkbase/state"
	"linkbase/testutil"
)

// Browsers, as their user agents say.
const (
	iPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	androidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
	iPadSafari    = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	windowsEdge   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"
	macFirefox    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0"
)

func TestViewsByVisitorDeviceBrowserAndSource(t *testing.T) {
	clock := state.NewManualClock(testutil.LinkbioNow.AddDate(0, 0, -1))
	app, links, ann := annWithLinks(t, clock)
	view := func(ua, visitor, utm string) {
		links.CountView(linkstore.View{Profile: ann.Id, UserAgent: ua, Visitor: visitor, UTMSource: utm})
	}

	// Yesterday: one phone visitor twice, a tablet, a computer.
	view(iPhoneSafari, "client 1", "Instagram")
	view(iPhoneSafari, "client 1", "instagram ")
	view(iPadSafari, "client 2", "")
	view(windowsEdge, "client 3", "newsletter")
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	// Today: the phone visitor again (a new day, a new unique view), and
	// an Android phone; the iPhone's second view of the day is flushed
	// apart from its first.
	clock.Set(testutil.LinkbioNow)
	view(iPhoneSafari, "client 1", "")
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	view(iPhoneSafari, "client 1", "")
	view(androidChrome, "client 4", "Instagram")
	view(macFirefox, "", "") // no visitor: a view, not a unique one
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}

	a, err := links.Analytics(ann.Id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if a.Views != 8 || a.UniqueViews != 5 || a.Daily[0].UniqueViews != 3 || a.Daily[1].UniqueViews != 2 {
		t.Fatalf("views %d, unique %d, daily %+v; want 8, 5 (3 + 2)", a.Views, a.UniqueViews, a.Daily)
	}
	wantDevices := map[string]int64{"mobile": 5, "tablet": 1, "desktop": 2}
	wantBrowsers := map[string]int64{"safari": 5, "chrome": 1, "edge": 1, "firefox": 1, "opera": 0, "samsung": 0, "other": 0}
	if fmt.Sprint(a.Devices) != fmt.Sprint(wantDevices) || fmt.Sprint(a.Browsers) != fmt.Sprint(wantBrowsers) {
		t.Fatalf("devices %v, browsers %v", a.Devices, a.Browsers)
	}
	if fmt.Sprint(a.UTMSources) != "[{instagram 3} {newsletter 1}]" {
		t.Fatalf("utm_sources %v", a.UTMSources)
	}
	// Nothing of a visitor's address is kept: only hashes, two days' worth.
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM profile_visitors WHERE visitor LIKE '%client%'", nil); n != 0 {
		t.Fatal("a visitor was stored as sent")
	}
}

func TestUTMSourcesAreCappedPerDay(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	for i := range 30 {
		links.CountView(linkstore.View{Profile: ann.Id, UTMSource: fmt.Sprint("campaign-", i)})
	}
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	links.CountView(linkstore.View{Profile: ann.Id, UTMSource: "campaign-new"})
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	rows := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM view_daily WHERE dimension = 'utm_source'", nil)
	other := testutil.QueryInt(t, app, "SELECT views FROM view_daily WHERE dimension = 'utm_source' AND value = 'other'", nil)
	if rows != 21 || other != 11 {
		t.Fatalf("%d source rows, %d views as other; want 20 sources and other (11 views)", rows, other)
	}
	a, err := links.Analytics(ann.Id, 1)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, s := range a.UTMSources {
		sum += s.Views
	}
	if len(a.UTMSources) != 11 || a.UTMSources[10].Source != "other" || a.UTMSources[10].Views != 21 || sum != 31 {
		t.Fatalf("utm_sources %v: want the top 10 and other with the remaining 21 views", a.UTMSources)
	}
}

func TestConcurrentViewsOfOneVisitorAreOneUniqueView(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			links.CountView(linkstore.View{Profile: ann.Id, UserAgent: iPhoneSafari, Visitor: fmt.Sprint("client ", i%10)})
			if i%50 == 0 {
				if err := links.FlushHits(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	p := dbx.Params{"id": ann.Id}
	if v, u := testutil.QueryInt(t, app, "SELECT views FROM profile_daily WHERE profile = {:id}", p),
		testutil.QueryInt(t, app, "SELECT unique_views FROM profile_daily WHERE profile = {:id}", p); v != 200 || u != 10 {
		t.Fatalf("views %d, unique views %d; want 200 and 10", v, u)
	}
}

func TestVisitorsAreKeptTwoDays(t *testing.T) {
	clock := state.NewManualClock(testutil.LinkbioNow)
	app, links, ann := annWithLinks(t, clock)
	for day := range 4 {
		clock.Set(testutil.LinkbioNow.AddDate(0, 0, day))
		links.CountView(linkstore.View{Profile: ann.Id, Visitor: "client"})
		if err := links.FlushHits(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM profile_visitors", nil); n != 2 {
		t.Fatalf("%d visitor rows after 4 days, want 2 (yesterday and today)", n)
	}
	if n := testutil.QueryInt(t, app, "SELECT SUM(unique_views) FROM profile_daily", nil); n != 4 {
		t.Fatalf("unique views %d, want 4 (one a day)", n)
	}
}
