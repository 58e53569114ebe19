package linkstore_test

import (
	"testing"

	"linkbase/linkstore"
	"linkbase/state"
	"linkbase/testutil"
)

func TestAnalytics(t *testing.T) {
	clock := state.NewManualClock(testutil.LinkbioNow.AddDate(0, 0, -1))
	_, links, ann := annWithLinks(t, clock)
	follow := func(title string) {
		t.Helper()
		if _, err := links.Follow(testutil.LinkID(title), true); err != nil {
			t.Fatal(err)
		}
	}

	// Yesterday: 2 views from t.co and 1 click, flushed into the rollups.
	links.CountView(linkstore.View{Profile: ann.Id, Host: "t.co"})
	links.CountView(linkstore.View{Profile: ann.Id, Host: "t.co"})
	follow("second")
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}
	// Today: 1 direct view, 1 from instagram and 2 clicks, still buffered.
	clock.Set(testutil.LinkbioNow)
	links.CountView(linkstore.View{Profile: ann.Id, Host: ""})
	links.CountView(linkstore.View{Profile: ann.Id, Host: "www.instagram.com"})
	follow("first")
	follow("first")

	get := func(days int) linkstore.Analytics {
		t.Helper()
		a, err := links.Analytics(ann.Id, days)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	// Buffered counts show once flushed.
	if a := get(2); a.Views != 2 || a.Clicks != 1 || len(a.Daily) != 2 || a.Daily[1].Views != 0 {
		t.Fatalf("before the flush: %+v", a)
	}
	if err := links.FlushHits(ctx); err != nil {
		t.Fatal(err)
	}

	a := get(2)
	if a.Views != 4 || a.Clicks != 3 || a.CTR != 0.75 {
		t.Fatalf("views %d, clicks %d, ctr %v; want 4, 3, 0.75", a.Views, a.Clicks, a.CTR)
	}
	if len(a.Daily) != 2 || a.Daily[0].Date != "2026-11-23" || a.Daily[0].Views != 2 || a.Daily[0].Clicks != 1 ||
		a.Daily[1].Date != "2026-11-24" || a.Daily[1].Views != 2 || a.Daily[1].Clicks != 2 {
		t.Fatalf("daily = %+v", a.Daily)
	}
	perLink := map[string]int64{}
	for _, l := range a.Links {
		perLink[l.Title] = l.Clicks
	}
	if len(a.Links) != 6 || perLink["first"] != 2 || perLink["second"] != 1 || perLink["running"] != 0 {
		t.Fatalf("links = %+v", a.Links)
	}
	if len(a.TopReferrers) != 2 || a.TopReferrers[0] != (linkstore.AnalyticsReferer{Host: "t.co", Views: 2}) ||
		a.TopReferrers[1] != (linkstore.AnalyticsReferer{Host: "www.instagram.com", Views: 1}) {
		t.Fatalf("top_referrers = %+v", a.TopReferrers)
	}
	if today := get(1); today.Views != 2 || today.Clicks != 2 || len(today.Daily) != 1 {
		t.Fatalf("days=1 gave %+v", today)
	}
	if empty, _ := links.Analytics("nobody", 30); len(empty.Daily) != 30 || empty.Links == nil || empty.TopReferrers == nil {
		t.Fatalf("a user without figures: %+v", empty)
	}
}
