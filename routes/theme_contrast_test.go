package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

// TestThemeContrast saves themes through the collection API (as the SDK
// and the dashboard do): colours that would draw unreadable text or
// buttons are refused with theme_contrast and nothing is stored; a theme
// with only a dark background is drawn with light text and buttons.
func TestThemeContrast(t *testing.T) {
	withAnn := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID, "theme": `{"font":"serif"}`})
	})
	themeKept := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if got := findUser(t, app, "ann").GetString("theme"); got != `{"font":"serif"}` {
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
