package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/schema"
	"linkbase/testutil"
)

// serve builds the app's router once, for tests that send many requests
// to one app (ApiScenario builds one per request).
func serve(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

// do sends one request and returns the recorder.
func do(h http.Handler, method, url, body string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if k == "RemoteAddr" {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// lowCostApp is a fresh app whose users hash at bcrypt's lowest cost.
func lowCostApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app := testutil.Factory(t)
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost = 4
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
	return app
}

func setStatus(t testing.TB, app core.App, userID, status string) {
	t.Helper()
	ref, err := app.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, userID)
	if err != nil {
		t.Fatal(err)
	}
	ref.Set(schema.ReferralStatus, status)
	if err := app.Save(ref); err != nil {
		t.Fatal(err)
	}
}

func authHeader(t testing.TB, user *core.Record) map[string]string {
	return map[string]string{"Authorization": testutil.Token(t, user)}
}

func newRecord(c *core.Collection, fields map[string]any) *core.Record {
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	return r
}

func dbxNotEmpty(field string) dbx.Expression {
	return dbx.NewExp("[[" + field + "]] != ''")
}
