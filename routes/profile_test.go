package routes_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	qrcode "github.com/skip2/go-qrcode"

	"linkbase/schema"
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
	res := bioRequest(bioHandler(t, app), http.MethodGet, "/api/profiles/ann", nil)
	first, second, running := strings.Index(res.body, `"first"`), strings.Index(res.body, `"second"`), strings.Index(res.body, `"running"`)
	if !(first >= 0 && first < second && second < running) {
		t.Fatalf("links out of position order: %s", res.body)
	}
}

func TestProfilePageEscapesUserValues(t *testing.T) {
	evil := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{
			schema.UserDisplayName: `<script>alert(1)</script>`,
			schema.UserBio:         `</title><img src=x onerror=alert(2)>`,
		})
		seedLink(t, app, ann, `say "hi" <b>`, 0, map[string]any{schema.LinkURL: `https://example.com/?q="><script>alert(3)</script>`})
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
			`<meta name="twitter:card" content="summary">`,
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
