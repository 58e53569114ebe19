package routes_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"linkbase/stores"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// seeded returns a TestAppFactory whose app holds the users made by seed.
func seeded(seed func(t testing.TB, app *tests.TestApp)) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		seed(t, app)
		return app
	}
}

// annID is the fixed id of the user "ann" of withAnn.
const annID = "ann000000000001"

// withAnn is an app with the user ann@example.com / ann.
var withAnn = seeded(func(t testing.TB, app *tests.TestApp) {
	testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID})
})

// cookieOf returns the Set-Cookie of name in res, or nil.
func cookieOf(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sessionHeaders authenticates a scenario by cookie, with the CSRF token
// the server issues for that session.
func sessionHeaders(t testing.TB, app core.App, token string) map[string]string {
	t.Helper()
	csrfToken, err := stores.Of(app).CSRF.For(token)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"Cookie":       "session=" + token + "; csrf_token=" + csrfToken,
		"X-CSRF-Token": csrfToken,
	}
}

func body(s string) *strings.Reader { return strings.NewReader(s) }

func run(t *testing.T, scenarios []tests.ApiScenario) {
	t.Helper()
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testutil.Factory
		}
		s.Test(t)
	}
}

// authAs returns scenario headers and a BeforeTestFunc that fills them, once
// the scenario's app exists, with a token of username: in the Authorization
// header, or (cookie) in the session cookie with a matching CSRF token.
func authAs(username string, cookie bool) (map[string]string, func(testing.TB, *tests.TestApp, *core.ServeEvent)) {
	headers := map[string]string{}
	return headers, func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		token := testutil.Token(t, testutil.FindUser(t, app, username))
		if cookie {
			for k, v := range sessionHeaders(t, app, token) {
				if _, set := headers[k]; !set {
					headers[k] = v
				}
			}
			return
		}
		headers["Authorization"] = token
	}
}

func authHeader(t testing.TB, user *core.Record) map[string]string {
	return map[string]string{"Authorization": testutil.Token(t, user)}
}

func newRecord(c *core.Collection, fields map[string]any) *core.Record {
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	return r
}

func dbxNotEmpty(field string) dbx.Expression {
	return dbx.NewExp("[[" + field + "]] != ''")
}

// annWithLinks is an app whose user ann has links that are shown and
// links that are not, with the clock at testutil.LinkbioNow.
var annWithLinks = testutil.AnnWithLinks(nil)

// waitForMails is a BeforeTestFunc that makes the request wait for the
// mails it sent off the request path, so that ExpectedEvents and
// AfterTestFunc see them.
func waitForMails(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
	e.Router.BindFunc(func(re *core.RequestEvent) error {
		err := re.Next()
		stores.Of(re.App).Mail.Wait()
		return err
	})
}

// serve builds app's router once, as ApiScenario does, for tests that
// make several requests against one app; each request waits for its mails.
func serve(t testing.TB, app *tests.TestApp) http.Handler {
	return testutil.Handler(t, app, func(e *core.ServeEvent) { waitForMails(t, app, e) })
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
