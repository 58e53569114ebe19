package routes_test

import (
	"net/http"
	"testing"

	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/testutil"
)

// TestLocalTrialReferrals tries referrals as a newcomer does on one
// machine: the referrer logs in and the referred user signs up from the
// same address. Only a local trial, and only for loopback addresses, lets
// the referral complete; everything else keeps the same-IP hold.
func TestLocalTrialReferrals(t *testing.T) {
	for _, c := range []struct {
		name       string
		trial      bool
		laterURL   string // the app URL set after the trial started
		remoteAddr string
		wantReason string
	}{
		{"loopback outside a trial is held", false, "", "127.0.0.1:5000", referral.ReasonSameIP},
		{"loopback in a local trial completes", true, "", "127.0.0.1:5000", ""},
		{"IPv6 loopback in a local trial completes", true, "", "[::1]:5000", ""},
		{"one public address in a local trial is held", true, "", "198.51.100.77:5000", referral.ReasonSameIP},
		{"one private address in a local trial is held", true, "", "10.0.0.7:5000", referral.ReasonSameIP},
		{"a public app URL ends the trial", true, "https://links.example.com", "127.0.0.1:5000", referral.ReasonSameIP},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := testutil.NewApp(t)
			if c.trial {
				if err := refstore.EnableLocalTrial(app); err != nil {
					t.Fatal(err)
				}
			}
			if c.laterURL != "" {
				settings := app.Settings()
				settings.Meta.AppURL = c.laterURL
				if err := app.Save(settings); err != nil {
					t.Fatal(err)
				}
			}
			h := testutil.Handler(t, app)
			ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
			from := map[string]string{"RemoteAddr": c.remoteAddr}
			if rec := send(h, http.MethodPost, "/api/login", `{"identity":"ann","password":"`+testutil.Password+`"}`, from); rec.Code != http.StatusOK {
				t.Fatalf("login: %d %s", rec.Code, rec.Body)
			}
			body := `{"email":"bob@example.com","username":"bob","password":"quiet-river-5512","referral_code":"` + ann.GetString(schema.UserReferralCode) + `"}`
			if rec := send(h, http.MethodPost, "/api/register", body, from); rec.Code != http.StatusCreated {
				t.Fatalf("register: %d %s", rec.Code, rec.Body)
			}

			bob := findUser(t, app, "bob")
			bob.SetVerified(true)
			if err := app.Save(bob); err != nil {
				t.Fatal(err)
			}
			ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, bob.Id)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := schema.StatusSuccessful
			if c.wantReason != "" {
				wantStatus = schema.StatusPending
			}
			if ref.GetString(schema.ReferralReviewReason) != c.wantReason || ref.GetString(schema.ReferralStatus) != wantStatus {
				t.Errorf("referral %q (%q), want %q (%q)", ref.GetString(schema.ReferralStatus),
					ref.GetString(schema.ReferralReviewReason), wantStatus, c.wantReason)
			}
		})
	}
}
