package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestBatchesCarryNoPasswords: with PocketBase's batch API turned on, a
// batch runs its record writes inside PocketBase, past the routes that
// hash in bounded slots and apply the login back-off. So a batch that
// sets or changes an account's password is refused, unless a superuser
// sends it; batches of other writes pass.
func TestBatchesCarryNoPasswords(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	app.Settings().Batch.Enabled = true
	if err := app.Save(app.Settings()); err != nil {
		t.Fatal(err)
	}
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	h := testutil.Handler(t, app)
	batch := func(token string, requests ...string) (int, string) {
		headers := map[string]string{}
		if token != "" {
			headers["Authorization"] = token
		}
		rec := testutil.Send(h, http.MethodPost, "/api/batch", `{"requests":[`+strings.Join(requests, ",")+`]}`, headers)
		return rec.Code, rec.Body.String()
	}
	signUp := `{"method":"POST","url":"/api/collections/users/records","body":{"email":"bob@example.com","username":"bob","password":"a-long-passphrase-7","passwordConfirm":"a-long-passphrase-7"}}`
	change := `{"method":"PATCH","url":"/api/collections/users/records/` + ann.Id + `","body":{"oldPassword":"` + testutil.Password + `","password":"a-long-passphrase-7","passwordConfirm":"a-long-passphrase-7"}}`
	rename := `{"method":"PATCH","url":"/api/collections/users/records/` + ann.Id + `","body":{"display_name":"Ann L."}}`
	link := `{"method":"POST","url":"/api/collections/links/records","body":{"owner":"` + ann.Id + `","title":"Shop","url":"https://example.com/shop"}}`

	for name, c := range map[string]struct {
		token    string
		requests []string
	}{
		"a sign-up":                             {"", []string{signUp}},
		"a password change":                     {testutil.Token(t, ann), []string{change}},
		"a password change after another write": {testutil.Token(t, ann), []string{rename, change}},
	} {
		code, body := batch(c.token, c.requests...)
		if code != http.StatusBadRequest || !strings.Contains(body, "cannot be set or changed in a batch") {
			t.Errorf("%s: %d %s, want 400 saying why", name, code, body)
		}
	}
	if got := testutil.FindUser(t, app, "ann").GetString(schema.UserDisplayName); got == "Ann L." {
		t.Error("a refused batch wrote its other requests")
	}

	if code, body := batch(testutil.Token(t, ann), rename, link); code != http.StatusOK {
		t.Errorf("a batch without passwords: %d %s", code, body)
	}
	if code, body := batch(testutil.SuperuserToken(t, app), signUp); code != http.StatusOK {
		t.Errorf("a superuser's sign-up batch: %d %s", code, body)
	}
}
