package routes_test

import (
	"bytes"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// TestNotFoundPageForBrowsers: a browser asking for a name that is no
// profile (unknown, disabled or reserved) gets the styled HTML 404; an
// API client the JSON one; a file is still a file.
func TestNotFoundPageForBrowsers(t *testing.T) {
	withDisabled := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	})
	page := func(name, url string) tests.ApiScenario {
		return tests.ApiScenario{
			Name: name, Method: http.MethodGet, URL: url, TestAppFactory: withDisabled,
			Headers:            map[string]string{"Accept": browserAccept},
			ExpectedStatus:     http.StatusNotFound,
			ExpectedContent:    []string{"<!doctype html>", `<meta name="robots" content="noindex">`, `href="/register"`},
			NotExpectedContent: []string{`"status":404`, "<script"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("security headers %v", res.Header)
				}
			},
		}
	}
	unknown := page("an unknown name", "/nosuchuser")
	unknown.ExpectedContent = append(unknown.ExpectedContent, "There is no page at /nosuchuser")
	escaped := page("a name with markup", "/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
	escaped.ExpectedContent = append(escaped.ExpectedContent, "&lt;script&gt;")
	run(t, []tests.ApiScenario{
		unknown,
		page("a disabled user", "/dan"),
		page("a reserved name that is no page", "/settings"),
		page("a name no user can have", "/x"),
		escaped,
		{
			Name: "an API client keeps the JSON answer", Method: http.MethodGet, URL: "/nosuchuser",
			Headers:        map[string]string{"Accept": "application/json"},
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "a file is served to a browser", Method: http.MethodGet, URL: "/favicon.ico",
			Headers:        map[string]string{"Accept": browserAccept},
			ExpectedStatus: http.StatusOK, NotExpectedContent: []string{"<!doctype html>"},
		},
	})
}

func TestLinkPreview(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := testutil.Handler(t, app)

	res := testutil.Send(h, "GET", "/ann/og.png", "", nil)
	cfg, err := png.DecodeConfig(bytes.NewReader(res.Body.Bytes()))
	if res.Code != http.StatusOK || err != nil || cfg.Width != 1200 || cfg.Height != 630 || res.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("og.png: %d %q %dx%d %v", res.Code, res.Header().Get("Content-Type"), cfg.Width, cfg.Height, err)
	}
	etag := res.Header().Get("ETag")
	if etag == "" || !strings.Contains(res.Header().Get("Cache-Control"), "public") {
		t.Fatalf("ETag %q, Cache-Control %q", etag, res.Header().Get("Cache-Control"))
	}
	if again := testutil.Send(h, "GET", "/ann/og.png", "", map[string]string{"If-None-Match": etag}); again.Code != http.StatusNotModified {
		t.Fatalf("with If-None-Match: %d", again.Code)
	}
	if upper := testutil.Send(h, "GET", "/ANN/og.png", "", nil); upper.Header().Get("ETag") != etag {
		t.Fatal("another letter case is another preview")
	}
	// The page names it, with its size.
	page := testutil.Send(h, "GET", "/ann", "", nil).Body.String()
	if !strings.Contains(page, `<meta property="og:image" content="http://localhost:8090/ann/og.png?v=`) ||
		!strings.Contains(page, `<meta property="og:image:width" content="1200">`) {
		t.Fatal("the page does not name its preview")
	}
	// An edit of the user draws a new one.
	ann := testutil.FindUser(t, app, "ann")
	ann.Set(schema.UserBio, "A new bio")
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	if after := testutil.Send(h, "GET", "/ann/og.png", "", map[string]string{"If-None-Match": etag}); after.Code != http.StatusOK || after.Header().Get("ETag") == etag {
		t.Fatalf("after an edit: %d, ETag %q", after.Code, after.Header().Get("ETag"))
	}
	for _, url := range []string{"/nobody/og.png", "/x/og.png", "/%3Cb%3E/og.png", "/ann/og.png/x", "/ann/og.PNG"} {
		if res := testutil.Send(h, "GET", url, "", nil); res.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", url, res.Code)
		}
	}
}

// TestPreviewPathsDoNotShadowFiles: a pb_public file at a preview-shaped
// path is still served.
func TestPreviewPathsDoNotShadowFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "og.png"), []byte("ASSET"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LINKBASE_PUBLIC_DIR", dir)
	run(t, []tests.ApiScenario{{
		Name: "a file named og.png", Method: http.MethodGet, URL: "/assets/og.png",
		ExpectedStatus: http.StatusOK, ExpectedContent: []string{"ASSET"},
	}})
}

func TestRobotsAndSitemap(t *testing.T) {
	withUsers := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
		testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	})
	run(t, []tests.ApiScenario{
		{
			Name: "robots.txt names the sitemap at the app URL, whatever the Host", Method: http.MethodGet,
			URL: "http://evil.example/robots.txt", TestAppFactory: withUsers, ExpectedStatus: http.StatusOK,
			ExpectedContent:    []string{"User-agent: *", "Disallow: /api/", "Disallow: /l/", "\nSitemap: http://localhost:8090/sitemap.xml\n"},
			NotExpectedContent: []string{"evil.example"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
			},
		},
		{
			Name: "sitemap.xml lists the enabled profiles", Method: http.MethodGet, URL: "/sitemap.xml",
			TestAppFactory: withUsers, ExpectedStatus: http.StatusOK,
			ExpectedContent:    []string{`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "<loc>http://localhost:8090/ann</loc>"},
			NotExpectedContent: []string{"/dan<"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if ct := res.Header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
			},
		},
		{Name: "a sitemap page past the last", Method: http.MethodGet, URL: "/sitemap.xml?page=2", TestAppFactory: withUsers, ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "a sitemap page that is no number", Method: http.MethodGet, URL: "/sitemap.xml?page=1%27%20OR%201=1", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "sitemap page zero", Method: http.MethodGet, URL: "/sitemap.xml?page=0", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
	})
}
