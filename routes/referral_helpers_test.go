package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// send sends one request and returns the recorder; a "RemoteAddr"
// header sets the client address.
func send(h http.Handler, method, url, body string, headers map[string]string) *httptest.ResponseRecorder {
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
