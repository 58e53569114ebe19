package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"linkbase/referral"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestSameIPAsReferrersLoginIsHeld logs the referrer in from one IP and
// signs up with their code from the same IP: the referral waits for review.
func TestSameIPAsReferrersLoginIsHeld(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	ip := map[string]string{"RemoteAddr": "198.51.100.77:5000"}

	rec := send(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, ip)
	if rec.Code != http.StatusOK {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	want, _ := stores.Of(app).Referrals.HashIP("198.51.100.77")
	if fresh.GetString(schema.UserLoginIPHash) != want || fresh.GetDateTime(schema.UserLoginAt).IsZero() {
		t.Fatalf("login IP hash %q at %v, want %q", fresh.GetString(schema.UserLoginIPHash), fresh.GetDateTime(schema.UserLoginAt), want)
	}

	body := `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":"` + ann.GetString(schema.UserReferralCode) + `"}`
	if rec := send(h, http.MethodPost, "/api/register", body, ip); rec.Code != http.StatusCreated {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	refs, _ := app.FindAllRecords(schema.Referrals)
	if len(refs) != 1 || refs[0].GetString(schema.ReferralReviewReason) != referral.ReasonSameIP {
		t.Errorf("referral review reason: %v", refs)
	}
	// The hashes are hidden from the user's own view of their record.
	rec = send(h, http.MethodGet, "/api/collections/users/records/"+ann.Id, "", authHeader(t, fresh))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "ip_hash") {
		t.Errorf("own record: %d %s", rec.Code, rec.Body)
	}
}

// TestClientsCannotSetReferralFields tries the collection API as the
// user themself: hidden and app-managed fields are never taken.
func TestClientsCannotSetReferralFields(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rec := send(h, http.MethodPatch, "/api/collections/users/records/"+ann.Id,
		`{"signup_ip_hash":"x","login_ip_hash":"y","display_name":"Ann"}`, authHeader(t, ann))
	if rec.Code != http.StatusOK {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	if fresh.GetString(schema.UserSignupIPHash) != "" || fresh.GetString(schema.UserLoginIPHash) != "" {
		t.Error("a client set a hidden fraud field")
	}
	for _, c := range []string{"referrals", "rewards", "referral_settings", "retired_codes", "secrets", "referral_visits"} {
		rec := send(h, http.MethodPost, "/api/collections/"+c+"/records", `{"user":"`+ann.Id+`","amount":1000,"kind":"manual"}`, authHeader(t, ann))
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("creating in %s as a user: %d", c, rec.Code)
		}
	}
	if rec := send(h, http.MethodGet, "/api/collections/secrets/records", "", authHeader(t, ann)); rec.Code != http.StatusForbidden {
		t.Errorf("listing secrets as a user: %d %s", rec.Code, rec.Body)
	}
}

func TestJobsAreScheduled(t *testing.T) {
	app := testutil.NewApp(t)
	ids := map[string]bool{}
	for _, j := range app.Cron().Jobs() {
		ids[j.Id()] = true
	}
	if !ids["linkbaseExpireReferrals"] {
		t.Errorf("cron jobs: %v", ids)
	}
	flushers := map[string]bool{}
	for _, f := range stores.Of(app).Flushers() {
		flushers[f.Stats().Name] = true
	}
	if !flushers["referral_visits"] {
		t.Errorf("flushers: %v", flushers)
	}
}

func TestSDKLoginRecordsIPHash(t *testing.T) {
	app := testutil.NewApp(t)
	h := testutil.Handler(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	rec := send(h, http.MethodPost, "/api/collections/users/auth-with-password",
		`{"identity":"ann@example.com","password":"`+testutil.Password+`"}`, map[string]string{"RemoteAddr": "198.51.100.8:1"})
	if rec.Code != http.StatusOK {
		t.Fatalf("auth-with-password: %d %s", rec.Code, rec.Body)
	}
	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	if want, _ := stores.Of(app).Referrals.HashIP("198.51.100.8"); fresh.GetString(schema.UserLoginIPHash) != want {
		t.Errorf("login IP hash %q, want %q", fresh.GetString(schema.UserLoginIPHash), want)
	}
}
