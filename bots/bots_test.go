package bots

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"testing"
)

// People's browsers, including the in-app browsers that links in bios are
// mostly opened in: none of them is a bot.
var people = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
	"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.3.30.91 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 587617018)",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/458.0.0.34.106;FBBV/586005470;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
	"Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/123.0.6312.118 Mobile Safari/537.36 trill_330504 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/33.5.4 ByteLocale/en",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.54 Mobile Safari/537.36 [Pinterest/Android]",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0",
	"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"",
}

// The bots the issue saw moving the counts, and the link-preview fetchers
// of the apps where bio links are shared, with their real user agents.
var machines = []string{
	"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	"facebookexternalhit/1.1;line-poker/1.0",
	"Twitterbot/1.0",
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	"Slackbot 1.0 (+https://api.slack.com/robots)",
	"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
	"WhatsApp/2.23.20.0 A",
	"TelegramBot (like TwitterBot)",
	"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
	"Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
	"Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
	"Mastodon/4.2.8 (http.rb/5.1.1; +https://mastodon.social/) Bot",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
	"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
	"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
	"curl/8.5.0",
	"Wget/1.21.4",
}

func TestIsBot(t *testing.T) {
	for _, ua := range people {
		if IsBot(ua) {
			t.Errorf("IsBot(%q) = true, want false", ua)
		}
	}
	for _, ua := range machines {
		if !IsBot(ua) {
			t.Errorf("IsBot(%q) = false, want true", ua)
		}
	}
	for _, name := range PreviewBots {
		if !IsBot("Mozilla/5.0 (compatible; " + name + "; +https://example.com)") {
			t.Errorf("preview bot %q is not detected", name)
		}
	}
}

// TestEveryListedInstance runs every example user agent the shipped list
// gives for its patterns: each must be detected, as the upstream tests
// require of their own matcher.
func TestEveryListedInstance(t *testing.T) {
	var entries []struct {
		Pattern   string   `json:"pattern"`
		Instances []string `json:"instances"`
	}
	if err := json.Unmarshal(crawlerList, &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) < 1000 {
		t.Fatalf("the list has %d patterns; a truncated copy?", len(entries))
	}
	n := 0
	for _, e := range entries {
		re := regexp.MustCompile(e.Pattern)
		for _, ua := range e.Instances {
			if !re.MatchString(ua) {
				continue // upstream's own data error; not ours to judge
			}
			n++
			if !IsBot(ua) {
				t.Errorf("pattern %q: IsBot(%q) = false", e.Pattern, ua)
			}
		}
	}
	t.Logf("%d patterns, %d instances detected, %d patterns kept as regular expressions", len(entries), n, len(compiled().regexps))
}

func TestExpandPattern(t *testing.T) {
	cases := []struct {
		pattern   string
		literals  []string
		prefilter string
	}{
		{`Googlebot\/`, []string{"Googlebot/"}, ""},
		{`[wW]get`, []string{"wget", "Wget"}, ""},
		{`^curl`, []string{"\x01curl"}, ""},
		{`(^| )sentry\/`, []string{"\x01sentry/", " sentry/"}, ""},
		{`Ahrefs(Bot|SiteAudit)`, []string{"AhrefsBot", "AhrefsSiteAudit"}, ""},
		{`(?i)bot\b`, nil, ""},
		{`AdsBot-Google([^-]|$)`, nil, "AdsBot-Google"},
		{`Current[\s\S]*RSS Reader`, nil, "RSS Reader"},
	}
	for _, c := range cases {
		lits, re, err := expandPattern(c.pattern)
		if c.literals == nil && c.prefilter == "" {
			if err == nil {
				t.Errorf("expandPattern(%q) = %q, %v; want an error (nothing to look for first)", c.pattern, lits, re)
			}
			continue
		}
		if err != nil {
			t.Fatalf("expandPattern(%q): %v", c.pattern, err)
		}
		slices.Sort(lits)
		slices.Sort(c.literals)
		if !slices.Equal(lits, c.literals) {
			t.Errorf("expandPattern(%q) literals = %q, want %q", c.pattern, lits, c.literals)
		}
		if got := ""; re != nil {
			got = re.prefilter
			if got != c.prefilter {
				t.Errorf("expandPattern(%q) prefilter = %q, want %q", c.pattern, got, c.prefilter)
			}
		} else if c.prefilter != "" {
			t.Errorf("expandPattern(%q) expanded; want a regular expression", c.pattern)
		}
	}
}

func TestAnchoredPatterns(t *testing.T) {
	m, err := compile([]string{`^curl`, `Bot$`, `AdsBot-Google([^-]|$)`}, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := compiled
	compiled = func() *matcher { return m }
	defer func() { compiled = old }()
	for ua, want := range map[string]bool{
		"curl/8.5":                 true,
		"not curl/8.5":             false,
		"SomeBot":                  true,
		"SomeBot/1.0":              false,
		"AdsBot-Google":            true,
		"AdsBot-Google (+x)":       true,
		"AdsBot-Google-Mobile":     false,
		"Mozilla/5.0 AdsBot-Googl": false,
	} {
		if got := IsBot(ua); got != want {
			t.Errorf("IsBot(%q) = %v, want %v", ua, got, want)
		}
	}
}

func TestIsPrefetch(t *testing.T) {
	cases := []struct {
		name   string
		header http.Header
		want   bool
	}{
		{"Chromium prefetch", http.Header{"Sec-Purpose": {"prefetch"}}, true},
		{"Chromium prerender", http.Header{"Sec-Purpose": {"prefetch;prerender"}}, true},
		{"older Purpose", http.Header{"Purpose": {"prefetch"}}, true},
		{"Safari", http.Header{"X-Purpose": {"preview"}}, false},
		{"Firefox", http.Header{"X-Moz": {"prefetch"}}, true},
		{"any case", http.Header{"Sec-Purpose": {"Prefetch"}}, true},
		{"a plain visit", http.Header{"User-Agent": {people[0]}}, false},
		{"another purpose", http.Header{"Sec-Purpose": {"other"}}, false},
	}
	for _, c := range cases {
		if got := IsPrefetch(c.header); got != c.want {
			t.Errorf("%s: IsPrefetch = %v, want %v", c.name, got, c.want)
		}
		if got := IsAutomated(c.header); got != c.want {
			t.Errorf("%s: IsAutomated = %v, want %v", c.name, got, c.want)
		}
	}
	if !IsAutomated(http.Header{"User-Agent": {machines[0]}}) {
		t.Error("IsAutomated(facebookexternalhit) = false")
	}
}

func TestLongUserAgent(t *testing.T) {
	long := make([]byte, 4096)
	for i := range long {
		long[i] = 'a'
	}
	if IsBot(string(long)) {
		t.Error("a long run of letters is a bot")
	}
	if !IsBot(string(long) + " Googlebot/2.1") {
		t.Error("Googlebot after 4 KiB is missed")
	}
}

// BenchmarkIsBot times the check on the mix a public page sees: mostly
// people, some bots.
func BenchmarkIsBot(b *testing.B) {
	mix := append(append([]string{}, people[:len(people)-1]...), machines[:6]...)
	compiled()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		IsBot(mix[i%len(mix)])
	}
}

func BenchmarkIsBotPerson(b *testing.B) {
	compiled()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		IsBot(people[5])
	}
}

func TestConcurrentUse(t *testing.T) {
	done := make(chan bool)
	for i := 0; i < 16; i++ {
		go func(i int) {
			ok := true
			for j := 0; j < 200; j++ {
				ok = ok && IsBot(machines[(i+j)%len(machines)]) && !IsBot(people[(i+j)%(len(people)-1)])
			}
			done <- ok
		}(i)
	}
	for i := 0; i < 16; i++ {
		if !<-done {
			t.Error("a concurrent check gave a wrong answer")
		}
	}
}
