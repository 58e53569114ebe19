package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	qrcode "github.com/skip2/go-qrcode"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestProfileJSON(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "only enabled links inside their schedule",
			Method: http.MethodGet, URL: "/api/profiles/ann",
			TestAppFactory: annWithLinks,
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"username":"ann"`, `"display_name":"Ann Example"`, `"bio":"Hello there"`, `"avatar_url":""`,
				`"theme":{"background":"#112233","button_style":"pill"}`,
				`"title":"first"`, `"title":"second"`, `"title":"running"`,
				`"url":"https://example.com/first"`, `"click_url":"http://localhost:8090/l/`,
			},
			NotExpectedContent: []string{`disabled`, `upcoming`, `ended`, `"email"`, `"clicks"`},
		},
		{
			Name:   "username in another letter case",
			Method: http.MethodGet, URL: "/api/profiles/ANN",
			TestAppFactory:  annWithLinks,
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"username":"ann"`},
		},
		{
			Name:   "username padded with spaces",
			Method: http.MethodGet, URL: "/api/profiles/%20ann%20",
			TestAppFactory:  annWithLinks,
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{`"status":404`},
		},
		{
			Name:   "unknown username",
			Method: http.MethodGet, URL: "/api/profiles/nobody",
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{`"status":404`},
		},
		{
			Name:   "invalid username with html metacharacters",
			Method: http.MethodGet, URL: "/api/profiles/%3Cscript%3E",
			ExpectedStatus:     http.StatusNotFound,
			ExpectedContent:    []string{`"status":404`},
			NotExpectedContent: []string{"<script>"},
		},
		{
			Name:   "disabled user",
			Method: http.MethodGet, URL: "/api/profiles/ann",
			TestAppFactory: func(t testing.TB) *tests.TestApp {
				app := testutil.Factory(t)
				testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{schema.UserDisabled: true})
				return app
			},
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{`"status":404`},
		},
	}
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testutil.Factory
		}
		s.Test(t)
	}
}

func TestProfileLinksOrderedByPosition(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	res := testutil.Send(testutil.Handler(t, app), http.MethodGet, "/api/profiles/ann", "", nil)
	first, second, running := strings.Index(res.Body.String(), `"first"`), strings.Index(res.Body.String(), `"second"`), strings.Index(res.Body.String(), `"running"`)
	if !(first >= 0 && first < second && second < running) {
		t.Fatalf("links out of position order: %s", res.Body.String())
	}
}

func TestProfilePageEscapesUserValues(t *testing.T) {
	evil := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{
			schema.UserDisplayName: `<script>alert(1)</script>`,
			schema.UserBio:         `</title><img src=x onerror=alert(2)>`,
		})
		testutil.SeedLink(t, app, ann, `say "hi" <b>`, 0, map[string]any{schema.LinkURL: `https://example.com/?q="><script>alert(3)</script>`})
		return app
	}
	s := tests.ApiScenario{
		Name:   "every user-supplied value escaped",
		Method: http.MethodGet, URL: "/ann",
		TestAppFactory: evil,
		ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{
			`<title>&lt;script&gt;alert(1)&lt;/script&gt; (@ann)</title>`,
			`<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>`,
			`&lt;/title&gt;&lt;img src=x onerror=alert(2)&gt;`,
			`say &#34;hi&#34; &lt;b&gt;`,
			`<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; (@ann)">`,
			`<meta property="og:url" content="http://localhost:8090/ann">`,
			`<meta name="twitter:card" content="summary_large_image">`,
			`<meta property="og:image" content="http://localhost:8090/ann/og.png?v=`,
			`<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="630">`,
			`<meta name="viewport" content="width=device-width, initial-scale=1">`,
			`href="http://localhost:8090/l/`,
		},
		NotExpectedContent: []string{`<script>`, `<img src=x`, `say "hi"`, ` style=`, `<style`, `alert(3)`},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("missing security headers: %v", res.Header)
			}
		},
	}
	s.Test(t)
}

func TestProfilePageNeverShadowsFilesOrPages(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"style.css": "body{}", "favicon.ico": "ICON", "dashboard.html": "DASHBOARD PAGE", "index.html": "HOME", // GET /dashboard serves dashboard.html
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("LINKBASE_PUBLIC_DIR", dir)

	scenarios := []tests.ApiScenario{
		{Name: "a stylesheet", Method: http.MethodGet, URL: "/style.css", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"body{}"}},
		{Name: "the favicon", Method: http.MethodGet, URL: "/favicon.ico", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"ICON"}},
		{Name: "a page name", Method: http.MethodGet, URL: "/dashboard", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"DASHBOARD PAGE"}},
		{Name: "a missing file", Method: http.MethodGet, URL: "/missing.js", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "a nul byte", Method: http.MethodGet, URL: "/%00", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "invalid utf-8", Method: http.MethodGet, URL: "/%ff%fe", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "an escaped slash", Method: http.MethodGet, URL: "/..%2f..%2fetc%2fpasswd", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "a very long name", Method: http.MethodGet, URL: "/" + strings.Repeat("a", 10000), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "an unknown valid username", Method: http.MethodGet, URL: "/nobody", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "a profile", Method: http.MethodGet, URL: "/ann", TestAppFactory: annWithLinks, ExpectedStatus: http.StatusOK, ExpectedContent: []string{"<h1>Ann Example</h1>"}},
	}
	for _, name := range []string{"index.html", "app.js", "style.css", "dashboard", "login", "register"} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name:   "registering the page or file name " + name,
			Method: http.MethodPost, URL: "/api/register",
			Body:            strings.NewReader(`{"email":"x@example.com","username":"` + name + `","password":"quiet-river-5512"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"username":{"code":"username_reserved"`},
		})
	}
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testutil.Factory
		}
		s.Test(t)
	}
}

func TestProfileQRCodeUsesTheAppURL(t *testing.T) {
	want, err := qrcode.Encode("http://localhost:8090/ann", qrcode.Medium, 512)
	if err != nil {
		t.Fatal(err)
	}
	s := tests.ApiScenario{
		Name:   "qr code of the page url, whatever the host header",
		Method: http.MethodGet, URL: "http://evil.example/api/profiles/ann/qr.png",
		TestAppFactory:  annWithLinks,
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{"PNG"},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			got, _ := io.ReadAll(res.Body)
			if res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, want) {
				t.Fatalf("qr.png is not the code of the app URL (content type %q, %d bytes)", res.Header.Get("Content-Type"), len(got))
			}
		},
	}
	s.Test(t)
}

// TestProfileAssetsOfNoProfile: the theme stylesheet, the QR code and the
// link preview of an unknown, disabled or malformed name are a 404, never
// an image or a stylesheet of nobody's page.
func TestProfileAssetsOfNoProfile(t *testing.T) {
	disabledAnn := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{schema.UserDisabled: true})
		return app
	}
	var scenarios []tests.ApiScenario
	for _, path := range []string{"/api/profiles/%s/qr.png", "/api/profiles/%s/theme.css", "/%s/og.png"} {
		for _, c := range []struct {
			name, user string
			factory    func(testing.TB) *tests.TestApp
		}{
			{"unknown", "nobody", annWithLinks},
			{"disabled", "ann", disabledAnn},
			{"malformed", "a%20b", annWithLinks},
		} {
			scenarios = append(scenarios, tests.ApiScenario{
				Name:   c.name + " " + path,
				Method: http.MethodGet, URL: fmt.Sprintf(path, c.user),
				TestAppFactory:     c.factory,
				ExpectedStatus:     http.StatusNotFound,
				ExpectedContent:    []string{`"status":404`},
				NotExpectedContent: []string{"PNG", ":root"},
			})
		}
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestMeShowsProfileFields(t *testing.T) {
	var token string
	withProfile := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{
			schema.UserDisplayName: "Ann", schema.UserBio: "Hi", schema.UserTheme: `{"font":"serif"}`,
		})
		token = testutil.Token(t, ann)
		return app
	}
	s := tests.ApiScenario{
		Name: "display name, bio, avatar url and theme", Method: http.MethodGet, TestAppFactory: withProfile,
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{`"display_name":"Ann"`, `"bio":"Hi"`, `"avatar_url":""`, `"theme":{"font":"serif"}`},
	}
	runLinkScenario(t, s, &token, func() string { return "/api/me" }, nil)
}

func TestProfileETagAnd304(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := testutil.Handler(t, app)

	for _, url := range []string{"/api/profiles/ann", "/ann", "/api/profiles/ann/theme.css"} {
		first := testutil.Send(h, http.MethodGet, url, "", nil)
		etag := first.Header().Get("ETag")
		if first.Code != http.StatusOK || etag == "" || !strings.Contains(first.Header().Get("Cache-Control"), "no-cache") {
			t.Fatalf("%s: status %d, ETag %q, Cache-Control %q", url, first.Code, etag, first.Header().Get("Cache-Control"))
		}
		if again := testutil.Send(h, http.MethodGet, url, "", map[string]string{"If-None-Match": etag}); again.Code != http.StatusNotModified || again.Body.String() != "" {
			t.Fatalf("%s with a matching If-None-Match: %d %q", url, again.Code, again.Body.String())
		}
		if list := testutil.Send(h, http.MethodGet, url, "", map[string]string{"If-None-Match": `"stale", ` + etag}); list.Code != http.StatusNotModified {
			t.Fatalf("%s with the ETag in a list: %d", url, list.Code)
		}
		if other := testutil.Send(h, http.MethodGet, url, "", map[string]string{"If-None-Match": `"stale"`}); other.Code != http.StatusOK {
			t.Fatalf("%s with another ETag: %d", url, other.Code)
		}
	}
	// Every page request above counts as a view, the 304s included; the
	// JSON and the stylesheet do not.
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil); n != 4 {
		t.Fatalf("views = %d, want 4", n)
	}
}

func TestClick(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "shown link redirects to its url",
			Method: http.MethodGet, URL: "/l/" + testutil.LinkID("first"),
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
		{Name: "disabled link", Method: http.MethodGet, URL: "/l/" + testutil.LinkID("disabled"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link before its start", Method: http.MethodGet, URL: "/l/" + testutil.LinkID("upcoming"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link after its end", Method: http.MethodGet, URL: "/l/" + testutil.LinkID("ended"), ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "unknown link", Method: http.MethodGet, URL: "/l/nosuchlink0000", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
		{Name: "link id with sql metacharacters", Method: http.MethodGet, URL: "/l/x'%20OR%201=1--", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = annWithLinks
		s.Test(t)
	}
}

type analyticsBody struct {
	Views  int     `json:"views"`
	Clicks int     `json:"clicks"`
	CTR    float64 `json:"ctr"`
	Daily  []struct {
		Date          string
		Views, Clicks int
	} `json:"daily"`
	Links []struct {
		ID     string
		Title  string
		Clicks int
	} `json:"links"`
	TopReferrers []struct {
		Host  string
		Views int
	} `json:"top_referrers"`
}

func TestAnalyticsRequests(t *testing.T) {
	var token string
	withAnn := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		token = testutil.Token(t, testutil.CreateUser(t, app, "ann@example.com", "ann", nil))
		return app
	}
	url := func(u string) func() string { return func() string { return u } }

	anonymous := tests.ApiScenario{Name: "anonymous", Method: http.MethodGet, URL: "/api/analytics",
		TestAppFactory: testutil.Factory, ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`}}
	anonymous.Test(t)

	for _, bad := range []string{"0", "366", "-1", "abc", "1.5", "%00", "99999999999999999999"} {
		s := tests.ApiScenario{Name: "days=" + bad, Method: http.MethodGet, TestAppFactory: withAnn,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"days":{"code":"days_invalid"`}}
		runLinkScenario(t, s, &token, url("/api/analytics?days="+bad), nil)
	}

	empty := tests.ApiScenario{Name: "a new user's empty analytics, 30 days by default", Method: http.MethodGet,
		TestAppFactory: withAnn, ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{`"views":0`, `"clicks":0`, `"ctr":0`, `"links":[]`, `"top_referrers":[]`},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var got analyticsBody
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil || len(got.Daily) != 30 {
				t.Fatalf("daily has %d days (%v), want 30", len(got.Daily), err)
			}
		}}
	runLinkScenario(t, empty, &token, url("/api/analytics"), nil)
}

// TestThemeContrast saves themes through the collection API (as the SDK
// and the dashboard do): colours that would draw unreadable text or
// buttons are refused with theme_contrast and nothing is stored; a theme
// with only a dark background is drawn with light text and buttons.
func TestThemeContrast(t *testing.T) {
	withAnn := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID, "theme": `{"font":"serif"}`})
	})
	themeKept := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if got := testutil.FindUser(t, app, "ann").GetString("theme"); got != `{"font":"serif"}` {
			t.Errorf("theme = %s, want it unchanged", got)
		}
	}
	patch := func(name, theme string) tests.ApiScenario {
		headers, as := authAs("ann", false)
		return tests.ApiScenario{
			Name: name, Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
			Body: body(`{"theme":` + theme + `}`), TestAppFactory: withAnn, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"theme":{"code":"theme_contrast"`},
			AfterTestFunc:   themeKept,
		}
	}
	dark := patch("only a dark background", `{"background":"#111111"}`)
	dark.ExpectedStatus, dark.ExpectedContent, dark.AfterTestFunc = http.StatusOK, []string{`"theme":{"background":"#111111"}`}, nil
	run(t, []tests.ApiScenario{
		patch("grey text on white", `{"background":"#ffffff","text":"#aaaaaa"}`),
		patch("a button the colour of the page", `{"background":"#0f172a","button":"#0f172a"}`),
		patch("button text close to its button", `{"button":"#2563eb","button_text":"#3b82f6"}`),
		patch("a pale accent on white", `{"background":"#ffffff","accent":"#fde68a"}`),
		patch("colours no background can carry", `{"text":"#808080","button":"#333333"}`),
		dark,
		{
			Name: "the page of a dark background alone", Method: http.MethodGet, URL: "/api/profiles/ann/theme.css",
			TestAppFactory: seeded(func(t testing.TB, app *tests.TestApp) {
				testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"theme": `{"background":"#111111"}`})
			}),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{"--bg:#111111;--fg:#f8fafc;--btn:#f8fafc;--btn-fg:#0f172a"},
		},
	})
}
