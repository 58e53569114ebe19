package routes_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

// annWithLinks is an app whose user ann has links that are shown and
// links that are not, with the clock at testutil.LinkbioNow.
var annWithLinks = testutil.AnnWithLinks(nil)

var (
	seedLink = testutil.SeedLink
	linkID   = testutil.LinkID
)

func bioHandler(t testing.TB, app *tests.TestApp) http.Handler { return testutil.Handler(t, app) }

type response struct {
	status int
	header http.Header
	body   string
}

// bioRequest sends one request to h with the given headers.
func bioRequest(h http.Handler, method, url string, header map[string]string) response {
	rec := testutil.Send(h, method, url, "", header)
	body, _ := io.ReadAll(rec.Result().Body)
	return response{rec.Code, rec.Result().Header, string(body)}
}
