package routes_test

import (
	"context"
	"linkbase/stores"
	"net/http"
	"strings"
	"testing"
)

func TestProfileETagAnd304(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)

	for _, url := range []string{"/api/profiles/ann", "/ann", "/api/profiles/ann/theme.css"} {
		first := bioRequest(h, http.MethodGet, url, nil)
		etag := first.header.Get("ETag")
		if first.status != http.StatusOK || etag == "" || !strings.Contains(first.header.Get("Cache-Control"), "no-cache") {
			t.Fatalf("%s: status %d, ETag %q, Cache-Control %q", url, first.status, etag, first.header.Get("Cache-Control"))
		}
		if again := bioRequest(h, http.MethodGet, url, map[string]string{"If-None-Match": etag}); again.status != http.StatusNotModified || again.body != "" {
			t.Fatalf("%s with a matching If-None-Match: %d %q", url, again.status, again.body)
		}
		if list := bioRequest(h, http.MethodGet, url, map[string]string{"If-None-Match": `"stale", ` + etag}); list.status != http.StatusNotModified {
			t.Fatalf("%s with the ETag in a list: %d", url, list.status)
		}
		if other := bioRequest(h, http.MethodGet, url, map[string]string{"If-None-Match": `"stale"`}); other.status != http.StatusOK {
			t.Fatalf("%s with another ETag: %d", url, other.status)
		}
	}
	// Every page request above counts as a view, the 304s included; the
	// JSON and the stylesheet do not.
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil); n != 4 {
		t.Fatalf("views = %d, want 4", n)
	}
}
