package routes_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/routes"
	"linkbase/schema"
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
	if err := routes.FlushCounters(app); err != nil {
		t.Fatal(err)
	}
	if n := sumInt(t, app, "SELECT COALESCE(SUM(views), 0) FROM profile_daily", nil); n != 4 {
		t.Fatalf("views = %d, want 4", n)
	}
}

func TestProfileCacheInvalidation(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)
	ann, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, "ann")
	if err != nil {
		t.Fatal(err)
	}
	get := func() response { return bioRequest(h, http.MethodGet, "/api/profiles/ann", nil) }
	etag := get().header.Get("ETag")

	// A write that bypasses the record hooks is not seen: the answer comes
	// from the cache, not the database.
	if _, err := app.DB().NewQuery("UPDATE users SET display_name = 'Sneaky' WHERE id = {:id}").Bind(dbx.Params{"id": ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if res := get(); strings.Contains(res.body, "Sneaky") || res.header.Get("ETag") != etag {
		t.Fatalf("the profile was not served from the cache: %s", res.body)
	}

	link := func(id string) *core.Record {
		l, err := app.FindRecordById(schema.Links, id)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	writes := []struct {
		name  string
		write func() error
		want  string
		gone  string
	}{
		{"user update", func() error { ann.Set(schema.UserBio, "New bio"); return app.Save(ann) }, `"bio":"New bio"`, ""},
		{"link create", func() error { seedLink(t, app, ann, "brandnew", 9, nil); return nil }, `"title":"brandnew"`, ""},
		{"link update", func() error { l := link(linkID("first")); l.Set(schema.LinkTitle, "renamed"); return app.Save(l) }, `"title":"renamed"`, ""},
		{"link disabled", func() error { l := link(linkID("second")); l.Set(schema.LinkEnabled, false); return app.Save(l) }, "", `"title":"second"`},
		{"link delete", func() error { return app.Delete(link(linkID("running"))) }, "", `"title":"running"`},
		{"username change", func() error { ann.Set(schema.UserUsername, "annie"); return app.Save(ann) }, "", `"username":"ann"`},
	}
	for _, w := range writes {
		before := get()
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		after := get()
		if w.want != "" && !strings.Contains(after.body, w.want) {
			t.Fatalf("after %s the profile lacks %s: %s", w.name, w.want, after.body)
		}
		if w.gone != "" && strings.Contains(after.body, w.gone) {
			t.Fatalf("after %s the profile still has %s: %s", w.name, w.gone, after.body)
		}
		if after.header.Get("ETag") == before.header.Get("ETag") {
			t.Fatalf("after %s the ETag did not change", w.name)
		}
	}
	if res := bioRequest(h, http.MethodGet, "/api/profiles/annie", nil); res.status != http.StatusOK {
		t.Fatalf("renamed profile: %d", res.status)
	}
	if err := app.Delete(ann); err != nil {
		t.Fatal(err)
	}
	if res := bioRequest(h, http.MethodGet, "/api/profiles/annie", nil); res.status != http.StatusNotFound {
		t.Fatalf("deleted user's profile: %d", res.status)
	}
}

func TestProfileCacheFollowsTheSchedule(t *testing.T) {
	app := annWithLinks(t)
	defer app.Cleanup()
	h := bioHandler(t, app)
	now := clockNow
	routes.SetClock(app, func() time.Time { return now })

	if res := bioRequest(h, http.MethodGet, "/api/profiles/ann", nil); strings.Contains(res.body, "upcoming") || !strings.Contains(res.body, "running") {
		t.Fatalf("at noon: %s", res.body)
	}
	// No write happens; the cached entry expires when "upcoming" starts and
	// "running" ends, an hour later.
	now = clockNow.Add(time.Hour)
	res := bioRequest(h, http.MethodGet, "/api/profiles/ann", nil)
	if !strings.Contains(res.body, "upcoming") || strings.Contains(res.body, "running") {
		t.Fatalf("an hour later: %s", res.body)
	}
	if click := bioRequest(h, http.MethodGet, "/l/"+linkID("upcoming"), nil); click.status != http.StatusFound {
		t.Fatalf("click on a started link: %d", click.status)
	}
}
