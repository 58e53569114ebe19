package routes_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestCollectionRules checks the API rules that let the PocketBase SDK edit
// a profile while keeping every app-managed field out of clients' reach.
func TestCollectionRules(t *testing.T) {
	withAnnAndBob := seeded(func(t testing.TB, app *tests.TestApp) {
		testutil.CreateUser(t, app, "ann@example.com", "ann", map[string]any{"id": annID})
		testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{"id": "bob000000000001", schema.UserReferredBy: annID})
	})
	unchanged := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		ann := findUser(t, app, "ann")
		if ann.GetInt(schema.UserCredits) != 0 || ann.Verified() || ann.GetBool(schema.UserDisabled) ||
			ann.GetString(schema.UserReferredBy) != "" || ann.GetString(schema.UserDisplayName) != "" {
			t.Errorf("a protected field changed: %v", ann.PublicExport())
		}
	}
	patch := func(name, payload string) tests.ApiScenario {
		headers, as := authAs("ann", false)
		return tests.ApiScenario{
			Name: name, Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
			Body: body(payload), TestAppFactory: withAnnAndBob, Headers: headers, BeforeTestFunc: as,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}, AfterTestFunc: unchanged,
		}
	}
	own := patch("own profile fields", `{"display_name":"Ann Lee","bio":"Hi","theme":{"accent":"#ff0000"}}`)
	own.ExpectedStatus, own.ExpectedContent, own.AfterTestFunc = http.StatusOK, []string{`"display_name":"Ann Lee"`, `"bio":"Hi"`}, nil

	bobHeaders, asBob := authAs("bob", false)
	annHeaders, asAnn := authAs("ann", false)
	annHeaders2, asAnn2 := authAs("ann", false)
	annHeaders3, asAnn3 := authAs("ann", false)
	run(t, []tests.ApiScenario{
		own,
		patch("credits", `{"display_name":"x","credits":999}`),
		patch("verified", `{"display_name":"x","verified":true}`),
		patch("referred_by", `{"display_name":"x","referred_by":"bob000000000001"}`),
		patch("referral_code", `{"display_name":"x","referral_code":"k3x9q2mw"}`),
		patch("disabled", `{"display_name":"x","disabled":true}`),
		{
			Name: "someone else's record", Method: http.MethodPatch, URL: "/api/collections/users/records/" + annID,
			Body: body(`{"display_name":"pwned"}`), TestAppFactory: withAnnAndBob, Headers: bobHeaders, BeforeTestFunc: asBob,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}, AfterTestFunc: unchanged,
		},
		{
			Name: "guest sign-up through the collection API", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           body(`{"email":"eve@example.com","username":"eve","password":"quiet-river-5512","passwordConfirm":"quiet-river-5512"}`),
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`, `POST /api/register`},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name: "guest sign-up through the collection API by collection id", Method: http.MethodPost, URL: "/api/collections/_pb_users_auth_/records",
			Body:           body(`{"email":"eve@example.com","username":"eve","password":"quiet-river-5512","passwordConfirm":"quiet-river-5512"}`),
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`POST /api/register`},
			ExpectedEvents: map[string]int{"*": 0},
		},
		{
			Name: "list of users shows only oneself", Method: http.MethodGet, URL: "/api/collections/users/records",
			TestAppFactory: withAnnAndBob, Headers: annHeaders, BeforeTestFunc: asAnn,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"totalItems":1`, `"username":"ann"`},
			NotExpectedContent: []string{`"username":"bob"`},
		},
		{
			Name: "referrals are readable by their referrer only", Method: http.MethodGet, URL: "/api/collections/referrals/records",
			TestAppFactory: withAnnAndBob, Headers: bobHeaders, BeforeTestFunc: asBob,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "the referrer sees the referral", Method: http.MethodGet, URL: "/api/collections/referrals/records",
			TestAppFactory: withAnnAndBob, Headers: annHeaders2, BeforeTestFunc: asAnn2,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"totalItems":1`, `"status":"pending"`},
		},
		{
			Name: "referrals cannot be created by clients", Method: http.MethodPost, URL: "/api/collections/referrals/records",
			Body:           body(`{"referrer":"` + annID + `","referred_user":"bob000000000001","code_used":"x","status":"successful"}`),
			TestAppFactory: withAnnAndBob, Headers: annHeaders3, BeforeTestFunc: asAnn3,
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`},
		},
		{
			Name: "rewards cannot be created by clients", Method: http.MethodPost, URL: "/api/collections/rewards/records",
			Body: body(`{"user":"` + annID + `","kind":"manual","amount":100}`), TestAppFactory: withAnnAndBob,
			ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"status":403`},
		},
	})
}
