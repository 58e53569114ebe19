package routes_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"linkbase/routes"
	"linkbase/schema"
	"linkbase/testutil"
)

// TestCachedClicksFollowEveryWrite clicks a link (filling the cache), then
// makes each write that changes where or whether it leads, and clicks again
// at once.
func TestCachedClicksFollowEveryWrite(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	link := seedLink(t, app, ann, "shop", 1, nil)
	h := testutil.Handler(t, app)
	click := func(step string, wantStatus int, wantLocation string) {
		t.Helper()
		rec := send(h, http.MethodGet, "/l/"+link.Id, "", nil)
		if rec.Code != wantStatus || rec.Header().Get("Location") != wantLocation {
			t.Fatalf("%s: %d to %q, want %d to %q", step, rec.Code, rec.Header().Get("Location"), wantStatus, wantLocation)
		}
	}

	click("first click", http.StatusFound, "https://example.com/shop")
	click("cached click", http.StatusFound, "https://example.com/shop")

	link.Set(schema.LinkURL, "https://example.com/sale")
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	click("after a new URL", http.StatusFound, "https://example.com/sale")

	link.Set(schema.LinkEnabled, false)
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	click("after switching the link off", http.StatusNotFound, "")

	link.Set(schema.LinkEnabled, true)
	link.Set(schema.LinkEndsAt, time.Now().Add(time.Hour))
	if err := app.Save(link); err != nil {
		t.Fatal(err)
	}
	click("switched on again", http.StatusFound, "https://example.com/sale")
	routes.SetClock(app, func() time.Time { return time.Now().Add(2 * time.Hour) })
	click("after its schedule ended (cached schedule, live clock)", http.StatusNotFound, "")
	routes.SetClock(app, time.Now)

	ann.Set(schema.UserDisabled, true)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	click("after the owner was disabled", http.StatusNotFound, "")
	ann.Set(schema.UserDisabled, false)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	click("owner enabled again", http.StatusFound, "https://example.com/sale")

	if err := app.Delete(link); err != nil {
		t.Fatal(err)
	}
	click("after the link's deletion", http.StatusNotFound, "")
}

// TestCachedClicksTouchNoLinkTable clicks a link 100 times with an edit
// of it before every tenth click: exactly those ten read the links table.
func TestCachedClicksTouchNoLinkTable(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	link := seedLink(t, app, ann, "shop", 1, nil)
	h := testutil.Handler(t, app)
	sqlLog := testutil.RecordSQL(t, app)

	misses := 0
	for i := range 100 {
		if i%10 == 0 {
			link.Set(schema.LinkTitle, "shop "+string(rune('a'+i/10)))
			if err := app.Save(link); err != nil {
				t.Fatal(err)
			}
			sqlLog.Take()
		}
		if rec := send(h, http.MethodGet, "/l/"+link.Id, "", nil); rec.Code != http.StatusFound {
			t.Fatalf("click %d: %d", i, rec.Code)
		}
		for _, stmt := range sqlLog.Take() {
			if strings.Contains(stmt, "links") {
				misses++
			}
		}
	}
	if misses != 10 {
		t.Errorf("%d of 100 clicks read the links table, want the 10 after an edit", misses)
	}
}
