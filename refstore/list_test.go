package refstore_test

import (
	"errors"
	"fmt"
	"slices"
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

// TestCursorPaging walks a list by cursor: every referral once, in the
// order of the numbered pages, also while new ones arrive (they go to the
// head and shift no cursor page), also filtered by status; a cursor the
// list did not hand out is refused.
func TestCursorPaging(t *testing.T) {
	app := testutil.NewApp(t)
	refs := stores.Of(app).Referrals
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	for i := range 47 { // many share a millisecond: the cursor breaks ties
		u := testutil.CreateUser(t, app, fmt.Sprintf("f%d@example.com", i), fmt.Sprintf("fan%d", i), map[string]any{schema.UserReferredBy: ann.Id})
		if i%3 == 0 {
			testutil.SetReferralStatus(t, app, u.Id, schema.StatusRejected)
		}
	}
	list := func(q refstore.ListQuery) refstore.Page {
		t.Helper()
		p, err := refs.List(ann.Id, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var byPage []string
	for page := 1; ; page++ {
		p := list(refstore.ListQuery{Page: page, PerPage: 10})
		for _, it := range p.Items {
			byPage = append(byPage, it.ID)
		}
		if len(p.Items) < 10 {
			break
		}
	}

	var byCursor []string
	q := refstore.ListQuery{Page: 1, PerPage: 10}
	for step := 0; ; step++ {
		p := list(q)
		if p.Total != 47+3*min(step, 2) {
			t.Fatalf("step %d: total %d", step, p.Total)
		}
		for _, it := range p.Items {
			byCursor = append(byCursor, it.ID)
		}
		if step < 2 { // sign-ups arrive while the list is walked
			for i := range 3 {
				testutil.CreateUser(t, app, fmt.Sprintf("late%d-%d@example.com", step, i), fmt.Sprintf("late%d_%d", step, i),
					map[string]any{schema.UserReferredBy: ann.Id})
			}
		}
		if p.NextCursor == "" {
			break
		}
		q = refstore.ListQuery{PerPage: 10, Cursor: p.NextCursor}
	}
	if !slices.Equal(byCursor, byPage) {
		t.Fatalf("by cursor %d items, by page %d; they differ", len(byCursor), len(byPage))
	}

	var rejected int
	q = refstore.ListQuery{Status: schema.StatusRejected, PerPage: 4}
	for {
		p := list(q)
		for _, it := range p.Items {
			if it.Status != schema.StatusRejected {
				t.Fatalf("a %s item in the rejected list", it.Status)
			}
			rejected++
		}
		if p.Total != 16 {
			t.Fatalf("rejected total %d, want 16", p.Total)
		}
		if p.NextCursor == "" {
			break
		}
		q.Cursor = p.NextCursor
	}
	if rejected != 16 {
		t.Fatalf("%d rejected referrals by cursor, want 16", rejected)
	}

	for _, bad := range []string{"x", "bm90IGEgY3Vyc29y", "MjAyNi0xMS0yNCAxMDowMDowMC4wMDBafDA", "%%%"} {
		if _, err := refs.List(ann.Id, refstore.ListQuery{PerPage: 10, Cursor: bad}); !errors.Is(err, refstore.ErrCursorInvalid) {
			t.Errorf("cursor %q: %v, want ErrCursorInvalid", bad, err)
		}
	}
}
