package refstore_test

import (
	"testing"

	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// TestListFollowsEveryWrite fills the cached first page, then makes each
// kind of write that changes it and reads it again at once.
func TestListFollowsEveryWrite(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.SeedReferrals(t, app)
	list := func(status string, page, perPage int) ([]refstore.Item, int) {
		t.Helper()
		p, err := refs.List(ann.Id, refstore.ListQuery{Status: status, Page: page, PerPage: perPage})
		if err != nil {
			t.Fatal(err)
		}
		return p.Items, p.Total
	}
	first := func() ([]refstore.Item, int) { return list("", 1, 20) }

	if items, total := first(); total != 3 || items[1].Username != "cat" || items[1].Status != schema.StatusPending {
		t.Fatalf("before: %d %+v", total, items)
	}
	eve := testutil.CreateUser(t, app, "eve@example.com", "eve", map[string]any{schema.UserReferredBy: ann.Id})
	if items, total := first(); total != 4 || items[0].Username != "eve" {
		t.Fatalf("after a sign-up: %d %+v", total, items)
	}
	cat := testutil.FindUser(t, app, "cat")
	testutil.SetReferralStatus(t, app, cat.Id, schema.StatusSuccessful)
	if items, _ := first(); items[2].Status != schema.StatusSuccessful || items[2].CompletedAt == nil {
		t.Fatalf("after a status change: %+v", items)
	}
	cat.Set(schema.UserUsername, "kit")
	if err := app.Save(cat); err != nil {
		t.Fatal(err)
	}
	if items, _ := first(); items[2].Username != "kit" {
		t.Fatalf("after a rename of the referred user: %+v", items)
	}
	if err := app.Delete(eve); err != nil {
		t.Fatal(err)
	}
	if items, total := first(); items[0].Username != "" || total != 4 {
		t.Fatalf("after the referred user's deletion: %d %+v", total, items)
	}
	if items, total := list(schema.StatusSuccessful, 1, 5); total != 2 || len(items) != 2 {
		t.Fatalf("a filtered page: %d %+v", total, items)
	}
	if items, total := list("", 2, 3); total != 4 || len(items) != 1 || items[0].Username != "bob" {
		t.Fatalf("the second page of three: %d %+v", total, items)
	}
}
