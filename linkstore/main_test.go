package linkstore_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// annWithLinks is testutil.AnnWithLinks on clock, cleaned up with the
// test, with its link-in-bio store and ann.
func annWithLinks(t *testing.T, clock *state.ManualClock) (*tests.TestApp, *linkstore.Store, *core.Record) {
	t.Helper()
	app := testutil.AnnWithLinks(clock)(t)
	t.Cleanup(app.Cleanup)
	ann, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, "ann")
	if err != nil {
		t.Fatal(err)
	}
	return app, stores.Of(app).Links, ann
}
