package routes_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"linkbase/stores"
	"linkbase/testutil"
)

const (
	iPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	laptop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)

// TestBotsAreNotCounted: crawlers, link-preview bots, headless browsers
// and prefetches get the page and the redirect like anyone, but count
// neither a view nor a click.
func TestBotsAreNotCounted(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := testutil.Handler(t, app)
	automated := []map[string]string{
		{"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
		{"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"},
		{"User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"},
		{"User-Agent": "Twitterbot/1.0"},
		{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"},
		{"User-Agent": "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)"},
		{"User-Agent": "WhatsApp/2.23.20.0"},
		{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36"},
		{"User-Agent": laptop, "Sec-Purpose": "prefetch;prerender"},
		{"User-Agent": laptop, "Purpose": "prefetch"},
		{"User-Agent": iPhone, "X-Moz": "prefetch"},
	}
	for _, headers := range automated {
		if res := testutil.Send(h, "GET", "/ann", "", headers); res.Code != http.StatusOK {
			t.Fatalf("page for %v: %d", headers, res.Code)
		}
		if res := testutil.Send(h, "GET", "/l/"+testutil.LinkID("first"), "", headers); res.Code != http.StatusFound {
			t.Fatalf("click for %v: %d", headers, res.Code)
		}
	}
	// People: one view and one click each.
	for _, ua := range []string{iPhone, laptop} {
		testutil.Send(h, "GET", "/ann", "", map[string]string{"User-Agent": ua})
		testutil.Send(h, "GET", "/l/"+testutil.LinkID("first"), "", map[string]string{"User-Agent": ua})
	}
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		t.Fatal(err)
	}
	views := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil)
	clicks := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(clicks), 0) FROM link_daily", nil)
	if views != 2 || clicks != 2 {
		t.Fatalf("views %d, clicks %d; want 2 and 2 (the people's only)", views, clicks)
	}
}

// TestAnalyticsBreakdowns: unique visitors, devices, browsers and
// utm_source, from page views made the way browsers make them.
func TestAnalyticsBreakdowns(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := testutil.Handler(t, app)
	visit := func(url string, headers map[string]string) {
		t.Helper()
		if res := testutil.Send(h, "GET", url, "", headers); res.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", url, res.Code)
		}
	}
	// A phone twice from one address (one visitor), via Instagram's tag.
	visit("/ann?utm_source=Instagram", map[string]string{"User-Agent": iPhone, "RemoteAddr": "198.51.100.7:1111"})
	visit("/ann?utm_source=instagram&utm_medium=bio", map[string]string{"User-Agent": iPhone, "RemoteAddr": "198.51.100.7:2222"})
	// A laptop with the visitor cookie of the sign-up page, from two addresses: one visitor.
	cookie := map[string]string{"User-Agent": laptop, "Cookie": "lb_visitor=0123456789abcdef0123456789abcdef"}
	cookie["RemoteAddr"] = "203.0.113.1:1"
	visit("/ann", cookie)
	cookie["RemoteAddr"] = "203.0.113.2:1"
	visit("/ann?utm_source=%00bad", cookie)
	// The same laptop browser from another address, without the cookie: another visitor.
	visit("/ann", map[string]string{"User-Agent": laptop, "RemoteAddr": "203.0.113.3:1"})
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		t.Fatal(err)
	}

	res := testutil.Send(h, "GET", "/api/analytics?days=1", "", authHeader(t, testutil.FindUser(t, app, "ann")))
	var a struct {
		Views       int `json:"views"`
		UniqueViews int `json:"unique_views"`
		Daily       []struct {
			UniqueViews int `json:"unique_views"`
		} `json:"daily"`
		Devices    map[string]int `json:"devices"`
		Browsers   map[string]int `json:"browsers"`
		UTMSources []struct {
			Source string `json:"source"`
			Views  int    `json:"views"`
		} `json:"utm_sources"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &a); err != nil || res.Code != http.StatusOK {
		t.Fatalf("%d %v: %s", res.Code, err, res.Body.String())
	}
	if a.Views != 5 || a.UniqueViews != 3 || a.Daily[0].UniqueViews != 3 {
		t.Fatalf("views %d, unique %d: %s", a.Views, a.UniqueViews, res.Body.String())
	}
	if a.Devices["mobile"] != 2 || a.Devices["desktop"] != 3 || a.Devices["tablet"] != 0 ||
		a.Browsers["safari"] != 2 || a.Browsers["chrome"] != 3 || len(a.Browsers) != 7 {
		t.Fatalf("devices %v, browsers %v", a.Devices, a.Browsers)
	}
	if len(a.UTMSources) != 1 || a.UTMSources[0].Source != "instagram" || a.UTMSources[0].Views != 2 {
		t.Fatalf("utm_sources %+v", a.UTMSources)
	}
}
