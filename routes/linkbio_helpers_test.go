package routes_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"

	"linkbase/routes"
	"linkbase/schema"
	"linkbase/testutil"
)

// clockNow is the injected "now" of the link-in-bio tests.
var clockNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// bioHandler builds app's HTTP handler the way ApiScenario does, for tests that
// need several requests against one app.
func bioHandler(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

type response struct {
	status int
	header http.Header
	body   string
}

// bioRequest sends one request to h with the given headers.
func bioRequest(h http.Handler, method, url string, header map[string]string) response {
	req := httptest.NewRequest(method, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return response{rec.Code, rec.Result().Header, string(body)}
}

// fastPasswords lowers the users' bcrypt cost, so tests that create many
// users stay fast (the policy is tested elsewhere at the real cost).
func fastPasswords(t testing.TB, app core.App) {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok {
		f.Cost = bcrypt.MinCost
	}
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
}

// seedLink saves a link of owner through the model hooks.
func seedLink(t testing.TB, app core.App, owner *core.Record, title string, position int, fields map[string]any) *core.Record {
	t.Helper()
	links, err := app.FindCollectionByNameOrId(schema.Links)
	if err != nil {
		t.Fatal(err)
	}
	link := core.NewRecord(links)
	link.Set(schema.LinkOwner, owner.Id)
	link.Set(schema.LinkTitle, title)
	link.Set(schema.LinkURL, "https://example.com/"+title)
	link.Set(schema.LinkPosition, position)
	link.Set(schema.LinkEnabled, true)
	for k, v := range fields {
		link.Set(k, v)
	}
	if err := app.Save(link); err != nil {
		t.Fatalf("saving link %q: %v", title, err)
	}
	return link
}

// annWithLinks is a test app whose user ann has links that are shown
// (second, first by position) and links that are not (disabled, not yet
// started, ended), with the clock at clockNow.
func annWithLinks(t testing.TB) *tests.TestApp {
	app := testutil.Factory(t)
	fastPasswords(t, app)
	routes.SetClock(app, func() time.Time { return clockNow })
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{
		schema.UserDisplayName: "Ann Example", schema.UserBio: "Hello there",
		schema.UserTheme: `{"background":"#112233","button_style":"pill"}`,
	})
	seedLink(t, app, ann, "second", 2, map[string]any{"id": linkID("second")})
	seedLink(t, app, ann, "first", 1, map[string]any{"id": linkID("first")})
	seedLink(t, app, ann, "disabled", 0, map[string]any{"id": linkID("disabled"), schema.LinkEnabled: false})
	seedLink(t, app, ann, "upcoming", 0, map[string]any{"id": linkID("upcoming"), schema.LinkStartsAt: clockNow.Add(time.Hour)})
	seedLink(t, app, ann, "ended", 0, map[string]any{"id": linkID("ended"), schema.LinkEndsAt: clockNow})
	seedLink(t, app, ann, "running", 3, map[string]any{"id": linkID("running"), schema.LinkStartsAt: clockNow.Add(-time.Hour), schema.LinkEndsAt: clockNow.Add(time.Hour)})
	return app
}

// linkID is the fixed record id of the link titled title in annWithLinks.
func linkID(title string) string {
	return (title + "000000000000000")[:15]
}
