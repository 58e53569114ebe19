package redirect

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// targets are the cases of testdata/targets.json, which the pages' module
// (pb_public/assets/redirect.js, e2e/tests/redirect.test.js) is held to as
// well: hostile targets from the adversarial run of issue 12 and the usual
// open-redirect lists, as they arrive once a query is decoded, and paths
// of the site. A nil want means the browser and Go's parser read the
// target differently; then the answer only has to stay on the site.
type targets struct {
	Origin   string `json:"origin"`
	Fallback string `json:"fallback"`
	Cases    []struct {
		Raw  string  `json:"raw"`
		Want *string `json:"want"`
	} `json:"cases"`
}

func loadTargets(t testing.TB) targets {
	raw, err := os.ReadFile("testdata/targets.json")
	if err != nil {
		t.Fatal(err)
	}
	var ts targets
	if err := json.Unmarshal(raw, &ts); err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestLocal(t *testing.T) {
	ts := loadTargets(t)
	if len(ts.Cases) < 50 {
		t.Fatalf("only %d cases", len(ts.Cases))
	}
	for _, c := range ts.Cases {
		got := Local(c.Raw, ts.Origin, ts.Fallback)
		if !staysOn(ts.Origin, got) {
			t.Errorf("Local(%q) = %q: leaves the site", c.Raw, got)
		}
		if c.Want != nil && got != *c.Want {
			t.Errorf("Local(%q) = %q, want %q", c.Raw, got, *c.Want)
		}
	}
}

// TestLocalOnTheIssuesPayloads takes the payloads of issue 12 as they stand
// in the address bar (/login?next=/%09/evil.com) through the decoding a
// query parameter gets.
func TestLocalOnTheIssuesPayloads(t *testing.T) {
	for _, query := range []string{"next=/%09/evil.com", "next=/%0A/evil.com", "next=/%0D/evil.com", "next=/%09%5C/evil.com", "next=/%09%5Cevil.com", "next=%2F%2Fevil.com"} {
		v, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		if got := Local(v.Get("next"), "http://localhost:8090", "/dashboard"); got != "/dashboard" {
			t.Errorf("?%s → %q, want /dashboard", query, got)
		}
	}
}

func TestLocalNeedsAnOrigin(t *testing.T) {
	for _, o := range []string{"", "app.example", "/relative"} {
		if got := Local("/dashboard", o, "/fallback"); got != "/fallback" {
			t.Errorf("Local with origin %q = %q, want the fallback", o, got)
		}
	}
}

// staysOn reports whether a browser on origin, sent to target, stays on
// origin: target must be a path-absolute reference with nothing a browser
// would strip or turn into a slash.
func staysOn(origin, target string) bool {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.ContainsAny(target, "\t\r\n\\\x00 ") {
		return false
	}
	o, err1 := url.Parse(origin)
	u, err2 := url.Parse(origin + target)
	return err1 == nil && err2 == nil && u.Host == o.Host
}

func FuzzLocal(f *testing.F) {
	ts := loadTargets(f)
	for _, c := range ts.Cases {
		f.Add(c.Raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if got := Local(raw, ts.Origin, ts.Fallback); !staysOn(ts.Origin, got) {
			t.Fatalf("Local(%q) = %q: leaves the site", raw, got)
		}
	})
}
