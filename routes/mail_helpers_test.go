package routes_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"linkbase/stores"
	"linkbase/testutil"
)

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

// do is send with headers given as a list of name, value pairs.
func do(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	headers := map[string]string{}
	for i := 0; i+1 < len(header); i += 2 {
		headers[header[i]] = header[i+1]
	}
	return send(h, method, target, body, headers)
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
