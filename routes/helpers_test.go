package routes_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"golang.org/x/crypto/bcrypt"

	"linkbase/routes"
	"linkbase/schema"
	"linkbase/testutil"
)

// waitForMails is a BeforeTestFunc that makes the request wait for the
// mails it sent off the request path, so that ExpectedEvents and
// AfterTestFunc see them.
func waitForMails(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
	e.Router.BindFunc(func(re *core.RequestEvent) error {
		err := re.Next()
		routes.WaitForMails(re.App)
		return err
	})
}

// serve builds app's router once, as ApiScenario does, for tests that
// make several requests against one app; each request waits for its mails.
func serve(t testing.TB, app *tests.TestApp) http.Handler {
	return serveWith(t, app, func(e *core.ServeEvent) { waitForMails(t, app, e) })
}

// serveWith is serve with the caller's own middlewares instead.
func serveWith(t testing.TB, app *tests.TestApp, bind func(*core.ServeEvent)) http.Handler {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		bind(e)
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

// do sends one request to h; header is a list of name, value pairs.
func do(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var linkPattern = regexp.MustCompile(`https?://[^\s"<>]+`)

// mailToken returns the token of the link to page in the text part of msg,
// checking that the link starts with the app URL.
func mailToken(t testing.TB, msg mailer.Message, appURL, page string) string {
	t.Helper()
	for _, link := range linkPattern.FindAllString(msg.Text, -1) {
		if !strings.HasPrefix(link, appURL+page+"?token=") {
			continue
		}
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("token")
	}
	t.Fatalf("no link to %s%s in the mail:\n%s", appURL, page, msg.Text)
	return ""
}

// lazyBody is a request body written only when the request is read, after
// the scenario's TestAppFactory has seeded the data (such as a token) that
// the body needs.
type lazyBody struct {
	make func() string
	r    io.Reader
}

func (b *lazyBody) Read(p []byte) (int, error) {
	if b.r == nil {
		b.r = strings.NewReader(b.make())
	}
	return b.r.Read(p)
}

// fastApp is testutil.Factory with the cheapest bcrypt cost for the users
// collection: these tests hash a few passwords per scenario, and at the
// default cost the race detector makes each hash take a second or more.
func fastApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app := testutil.Factory(t)
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost = bcrypt.MinCost
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
	return app
}
