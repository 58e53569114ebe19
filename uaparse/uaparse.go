// Package uaparse turns a user agent into the two things the analytics
// count: the kind of device (mobile, tablet, desktop) and the browser,
// both from a small fixed vocabulary so the daily rollups stay small.
//
// The parsing is github.com/medama-io/go-useragent's: a trie built once
// from its embedded user-agent corpus, a lookup of well under a
// microsecond and no allocation (BenchmarkParse), kept up to date by the
// analytics project that maintains it.
package uaparse

import (
	"strings"

	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// Devices, as GET /api/analytics names them.
const (
	Mobile  = "mobile"
	Tablet  = "tablet"
	Desktop = "desktop"
)

// Browsers, as GET /api/analytics names them; every other browser (and an
// unknown or empty user agent) is Other.
const (
	Chrome  = "chrome"
	Safari  = "safari"
	Firefox = "firefox"
	Edge    = "edge"
	Opera   = "opera"
	Samsung = "samsung"
	Other   = "other"
)

// Browsers lists every browser name Parse returns, in display order.
var Browsers = []string{Chrome, Safari, Firefox, Edge, Opera, Samsung, Other}

// Devices lists every device name Parse returns, in display order.
var Devices = []string{Mobile, Tablet, Desktop}

// Client is what a page view is counted by.
type Client struct {
	Device  string
	Browser string
}

var browsers = map[agents.Browser]string{
	agents.BrowserChrome:    Chrome,
	agents.BrowserSafari:    Safari,
	agents.BrowserFirefox:   Firefox,
	agents.BrowserEdge:      Edge,
	agents.BrowserOpera:     Opera,
	agents.BrowserOperaMini: Opera,
	agents.BrowserSamsung:   Samsung,
}

// Parse classifies a user agent. Phones are mobile and tablets tablet;
// everything else (computers, TVs, consoles, unknown agents) counts as
// desktop, the device a page is drawn for when nothing says otherwise.
// An iPad that asks for desktop pages, as iPadOS does by default, says it
// is a Mac and is counted as one.
func Parse(userAgent string) Client {
	// NewParser builds the library's shared trie on first use only.
	ua := useragent.NewParser().Parse(userAgent)
	c := Client{Device: Desktop, Browser: Other}
	switch {
	case ua.IsTablet(), ua.IsMobile() && androidTablet(userAgent):
		c.Device = Tablet
	case ua.IsMobile():
		c.Device = Mobile
	}
	if b, ok := browsers[ua.Browser()]; ok {
		c.Browser = b
	}
	return c
}

// androidTablet applies the rule Android browsers follow (and Google
// documents for sites): a phone's user agent says "Mobile", a tablet's
// does not. The library counts every Android device as a phone.
func androidTablet(userAgent string) bool {
	return strings.Contains(userAgent, "Android") && !strings.Contains(userAgent, "Mobile")
}
