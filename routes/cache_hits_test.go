package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"linkbase/schema"
	"linkbase/testutil"
)

// referralsPage is the part of GET /api/referrals' body these tests read.
type referralsPage struct {
	TotalItems int `json:"total_items"`
	Items      []struct {
		Username string `json:"username"`
		Status   string `json:"status"`
	} `json:"items"`
}

func getReferrals(t *testing.T, h http.Handler, auth map[string]string, query string) referralsPage {
	t.Helper()
	rec := send(h, http.MethodGet, "/api/referrals"+query, "", auth)
	var p referralsPage
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		t.Fatalf("GET /api/referrals%s: %d %s", query, rec.Code, rec.Body)
	}
	return p
}

// TestCachedReferralsFollowEveryWrite fills the cached first page, then
// makes each kind of write that changes it and reads it again at once.
func TestCachedReferralsFollowEveryWrite(t *testing.T) {
	app, ann := withReferrals(t)
	t.Cleanup(app.Cleanup)
	testutil.RelaxRateLimits(t, app)
	h := testutil.Handler(t, app)
	auth := authHeader(t, ann)
	if p := getReferrals(t, h, auth, ""); p.TotalItems != 3 || p.Items[1].Username != "cat" || p.Items[1].Status != schema.StatusPending {
		t.Fatalf("before: %+v", p)
	}

	eve := testutil.CreateUser(t, app, "eve@example.com", "eve", map[string]any{schema.UserReferredBy: ann.Id})
	if p := getReferrals(t, h, auth, ""); p.TotalItems != 4 || p.Items[0].Username != "eve" {
		t.Fatalf("after a sign-up: %+v", p)
	}

	cat := findUser(t, app, "cat")
	setStatus(t, app, cat.Id, schema.StatusSuccessful)
	if p := getReferrals(t, h, auth, ""); p.Items[2].Status != schema.StatusSuccessful {
		t.Fatalf("after a status change: %+v", p)
	}

	cat.Set(schema.UserUsername, "kit")
	if err := app.Save(cat); err != nil {
		t.Fatal(err)
	}
	if p := getReferrals(t, h, auth, ""); p.Items[2].Username != "kit" {
		t.Fatalf("after a rename of the referred user: %+v", p)
	}

	if err := app.Delete(eve); err != nil {
		t.Fatal(err)
	}
	if p := getReferrals(t, h, auth, ""); p.Items[0].Username != "" || p.TotalItems != 4 {
		t.Fatalf("after the referred user's deletion: %+v", p)
	}

	if p := getReferrals(t, h, auth, "?status=successful&per_page=5"); p.TotalItems != 2 {
		t.Fatalf("a filtered page: %+v", p)
	}
}

// TestCacheHitsTouchNoReferralTables sends 100 stats and list requests
// with a write that invalidates them before every tenth: exactly those ten
// of each read the referral tables, the 90 hits only the auth lookup.
func TestCacheHitsTouchNoReferralTables(t *testing.T) {
	app, ann := withReferrals(t)
	t.Cleanup(app.Cleanup)
	h := testutil.Handler(t, app)
	auth := authHeader(t, ann)
	sqlLog := testutil.RecordSQL(t, app)

	for p, path := range []string{"/api/referral-stats", "/api/referrals"} {
		misses := 0
		for i := range 100 {
			if i%10 == 0 { // a new referred user: a write that changes both answers
				name := fmt.Sprintf("new%d%03d", p, i)
				testutil.CreateUser(t, app, name+"@example.com", name, map[string]any{schema.UserReferredBy: ann.Id})
				sqlLog.Take()
			}
			if rec := send(h, http.MethodGet, path, "", auth); rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
			}
			touched := false
			for _, stmt := range sqlLog.Take() {
				if strings.Contains(stmt, "referral") || strings.Contains(stmt, "rewards") {
					touched = true
				}
			}
			if touched {
				misses++
			}
		}
		if misses != 10 {
			t.Errorf("GET %s: %d of 100 answers read the referral tables, want the 10 after a write", path, misses)
		}
	}
}

// TestCachedProfilesTouchNoSQL asks for a profile 100 times with an edit
// of it before every tenth request: those ten load it, the 90 hits send
// no statement at all to SQLite.
func TestCachedProfilesTouchNoSQL(t *testing.T) {
	t.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	seedLink(t, app, ann, "shop", 1, nil)
	h := testutil.Handler(t, app)
	sqlLog := testutil.RecordSQL(t, app)

	misses := 0
	for i := range 100 {
		if i%10 == 0 {
			ann.Set(schema.UserBio, fmt.Sprint("bio ", i))
			if err := app.Save(ann); err != nil {
				t.Fatal(err)
			}
			sqlLog.Take()
		}
		rec := send(h, http.MethodGet, "/api/profiles/ann", "", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"bio":"bio %d"`, i/10*10)) {
			t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
		}
		if len(sqlLog.Take()) > 0 {
			misses++
		}
	}
	if misses != 10 {
		t.Errorf("%d of 100 profile answers touched SQLite, want the 10 after an edit", misses)
	}
}
