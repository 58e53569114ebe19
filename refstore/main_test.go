package refstore_test

import (
	"context"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var ctx = context.Background()

func visitRows(t testing.TB, app core.App) int {
	t.Helper()
	n, err := app.CountRecords(schema.ReferralVisits)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func findUser(t testing.TB, app core.App, username string) *core.Record {
	t.Helper()
	user, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return user
}
