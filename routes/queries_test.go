package routes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// planRequest is one request whose SQL the plan test explains.
type planRequest struct {
	method, path, body, token string
	want                      int
}

// badPlan matches what must not appear in the plan of a hot query: a full
// scan of a table (an index scan reads "SCAN t USING INDEX"), or a sort
// that no index delivers.
var badPlan = regexp.MustCompile(`^SCAN \w+$|^SCAN \w+ \(|USE TEMP B-TREE FOR ORDER BY`)

// systemTable matches a statement on one of PocketBase's own tables.
var systemTable = regexp.MustCompile("(?i)(FROM|UPDATE) [`\"]?_")

// TestHotQueriesUseIndexes runs the endpoints on a seeded app, records
// every statement they send to SQLite, and explains each: no full scan of
// a Linkbase table, no sort without an index. PocketBase's system tables
// (leading underscore) are small and PocketBase's own business.
func TestHotQueriesUseIndexes(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	for i := range 20 { // enough rows that a scan and a search differ in the plan
		testutil.CreateUser(t, app, fmt.Sprintf("u%02d@example.com", i), fmt.Sprintf("user%02d", i), map[string]any{schema.UserReferredBy: ann.Id})
	}
	if _, err := app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		t.Fatal(err)
	}
	link := testutil.SeedLink(t, app, ann, "shop", 1, nil)
	h := testutil.Handler(t, app)
	sqlLog := testutil.RecordSQL(t, app)
	token := testutil.Token(t, ann)
	login := func(identity string) string {
		return fmt.Sprintf(`{"identity":%q,"password":%q}`, identity, testutil.Password)
	}

	for _, r := range []planRequest{
		{http.MethodPost, "/api/register", fmt.Sprintf(`{"email":"bob@example.com","username":"bob","password":%q,"referral_code":%q}`,
			testutil.Password, ann.GetString(schema.UserReferralCode)), "", http.StatusCreated},
		{http.MethodPost, "/api/register", fmt.Sprintf(`{"email":"ANN@example.com","username":"Ann","password":%q}`, testutil.Password), "", http.StatusBadRequest},
		{http.MethodPost, "/api/login", login("ann"), "", http.StatusOK},
		{http.MethodPost, "/api/login", login("Ann@Example.com"), "", http.StatusOK},
		{http.MethodPost, "/api/login", login("nobody@example.com"), "", http.StatusUnauthorized},
		{http.MethodGet, "/api/me", "", token, http.StatusOK},
		{http.MethodPost, "/api/collections/users/auth-with-password", login("ann@example.com"), "", http.StatusOK},
		{http.MethodGet, "/register?referral=" + ann.GetString(schema.UserReferralCode), "", "", http.StatusOK},
		{http.MethodGet, "/api/referral-stats", "", token, http.StatusOK},
		{http.MethodGet, "/api/referrals", "", token, http.StatusOK},
		{http.MethodGet, "/api/referrals?status=pending&page=2&per_page=5", "", token, http.StatusOK},
		{http.MethodGet, "/api/profiles/ann", "", "", http.StatusOK},
		{http.MethodGet, "/ann?utm_source=newsletter", "", "", http.StatusOK},
		{http.MethodGet, "/l/" + link.Id, "", "", http.StatusFound},
		{http.MethodPost, "/api/links/order", `{"ids":["` + link.Id + `"]}`, token, http.StatusOK},
		{http.MethodGet, "/api/analytics?days=30", "", token, http.StatusOK},
		{http.MethodGet, "/ann/og.png", "", "", http.StatusOK},
		{"FLUSH", "", "", "", 0}, // the view, visitor and click buffers' flush
	} {
		if r.method == "FLUSH" {
			if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkPlans(t, app, r, sqlLog.Take())
			continue
		}
		headers := map[string]string{}
		if r.token != "" {
			headers["Authorization"] = r.token
		}
		rec := testutil.Send(h, r.method, r.path, r.body, headers)
		if rec.Code != r.want {
			t.Fatalf("%s %s: %d, want %d: %s", r.method, r.path, rec.Code, r.want, rec.Body)
		}
		checkPlans(t, app, r, sqlLog.Take())
	}
}

// checkPlans explains the statements r sent: no full scan of a Linkbase
// table, no sort without an index.
func checkPlans(t *testing.T, app core.App, r planRequest, statements []string) {
	t.Helper()
	for _, stmt := range statements {
		if systemTable.MatchString(stmt) {
			continue
		}
		for _, detail := range explain(t, app, stmt) {
			// A grouped answer is sorted after grouping whatever the
			// indexes; ours group one owner's rows (at most 100 links,
			// 30 days), found through an index, which the scan check sees.
			if strings.Contains(detail, "TEMP B-TREE") && strings.Contains(stmt, "GROUP BY") {
				continue
			}
			if badPlan.MatchString(detail) {
				t.Errorf("%s %s runs %q\n  plan: %s", r.method, r.path, stmt, detail)
			}
		}
	}
}

// explain returns the plan lines of stmt, or none for a statement that is
// not a query of a table (BEGIN, PRAGMA, …).
func explain(t *testing.T, app core.App, stmt string) []string {
	t.Helper()
	verb := strings.ToUpper(strings.SplitN(stmt, " ", 2)[0])
	if verb != "SELECT" && verb != "UPDATE" && verb != "DELETE" && verb != "WITH" {
		return nil // INSERT … VALUES reads no table
	}
	stmt = strings.ReplaceAll(stmt, "<nil>", "NULL") // how the log writes a nil value
	var rows []struct {
		Detail string `db:"detail"`
	}
	if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + stmt).All(&rows); err != nil {
		t.Fatalf("explaining %q: %v", stmt, err)
	}
	details := make([]string, len(rows))
	for i, r := range rows {
		details[i] = r.Detail
	}
	return details
}

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
	rec := testutil.Send(h, http.MethodGet, "/api/referrals"+query, "", auth)
	var p referralsPage
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		t.Fatalf("GET /api/referrals%s: %d %s", query, rec.Code, rec.Body)
	}
	return p
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
			if rec := testutil.Send(h, http.MethodGet, path, "", auth); rec.Code != http.StatusOK {
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
	testutil.SeedLink(t, app, ann, "shop", 1, nil)
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
		rec := testutil.Send(h, http.MethodGet, "/api/profiles/ann", "", nil)
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
