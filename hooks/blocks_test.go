package hooks_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestBlockKinds: a link's kind and URL are checked together on every
// save; a block saved without a kind is stored as a link.
func TestBlockKinds(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	t.Run("a header has a title and no url", func(t *testing.T) {
		header := newLink(t, app, ann, map[string]any{schema.LinkKind: "header", schema.LinkURL: "", schema.LinkTitle: "Shop"})
		if err := app.Save(header); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a block without a kind is a link", func(t *testing.T) {
		link := newLink(t, app, ann, nil)
		if err := app.Save(link); err != nil {
			t.Fatal(err)
		}
		stored, _ := app.FindRecordById(schema.Links, link.Id)
		if got := stored.GetString(schema.LinkKind); got != "link" {
			t.Fatalf("kind stored as %q, want link", got)
		}
	})
	for _, c := range []struct {
		name   string
		fields map[string]any
		field  string
		code   string
	}{
		{"a header with a url", map[string]any{schema.LinkKind: "header"}, schema.LinkURL, "header_url"},
		{"a link without a url", map[string]any{schema.LinkURL: ""}, schema.LinkURL, "url_invalid"},
		{"an unknown kind", map[string]any{schema.LinkKind: "image"}, schema.LinkKind, "kind_invalid"},
		{"a header with a javascript url", map[string]any{schema.LinkKind: "header", schema.LinkURL: "javascript:alert(1)"}, schema.LinkURL, "header_url"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := app.CountRecords(schema.Links)
			err := app.Save(newLink(t, app, ann, c.fields))
			if got := fieldCode(err, c.field); got != c.code {
				t.Fatalf("Save() = %v, want %s on %s", err, c.code, c.field)
			}
			if after, _ := app.CountRecords(schema.Links); after != before {
				t.Fatal("the refused block was stored")
			}
		})
	}
	t.Run("an unknown kind and a bad title at once", func(t *testing.T) {
		err := app.Save(newLink(t, app, ann, map[string]any{schema.LinkKind: "image", schema.LinkTitle: ""}))
		if fieldCode(err, schema.LinkKind) != "kind_invalid" || fieldCode(err, schema.LinkTitle) == "" {
			t.Fatalf("Save() = %v", err)
		}
	})
}

// TestSocialsRule: users.socials holds to linkbio.ParseSocials on every
// save and is stored as checked; a bad list is refused entry by entry.
func TestSocialsRule(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	ann.Set(schema.UserSocials, `[{"platform":"email","url":" ann@example.com "},{"platform":"github","url":"https://github.com/ann"}]`)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	stored := testutil.FindUser(t, app, "ann")
	if got := stored.GetString(schema.UserSocials); got != `[{"platform":"email","url":"mailto:ann@example.com"},{"platform":"github","url":"https://github.com/ann"}]` {
		t.Fatalf("socials stored as %s", got)
	}

	for _, c := range []struct {
		name, socials string
		path          []string // the error's place under "socials"
		code          string
	}{
		{"not a list", `{"platform":"x"}`, nil, "socials_invalid"},
		{"an unknown field", `[{"platform":"x","url":"https://x.com/a","icon":"<svg>"}]`, nil, "socials_invalid"},
		{"a javascript url", `[{"platform":"x","url":"javascript:alert(1)"}]`, []string{"0", "url"}, "social_url_scheme"},
		{"a platform twice", `[{"platform":"x","url":"https://x.com/a"},{"platform":"x","url":"https://x.com/b"}]`, []string{"1", "platform"}, "platform_repeated"},
		{"an unknown platform", `[{"platform":"myspace","url":"https://myspace.com/a"}]`, []string{"0", "platform"}, "platform_invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ann := testutil.FindUser(t, app, "ann")
			ann.Set(schema.UserSocials, c.socials)
			err := app.Save(ann)
			var errs validation.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Save() = %v, want field errors", err)
			}
			got := errs[schema.UserSocials]
			for _, key := range c.path {
				nested, ok := got.(validation.Errors)
				if !ok {
					t.Fatalf("socials error %v has no %v", errs[schema.UserSocials], c.path)
				}
				got = nested[key]
			}
			var fe validation.Error
			if !errors.As(got, &fe) || fe.Code() != c.code {
				t.Fatalf("socials error %v, want %s at %v", errs[schema.UserSocials], c.code, c.path)
			}
			if now := testutil.FindUser(t, app, "ann").GetString(schema.UserSocials); now != stored.GetString(schema.UserSocials) {
				t.Fatalf("socials changed to %s", now)
			}
		})
	}
}

// TestConcurrentNewLinksTakeDistinctPositions: links created at once
// without a position are placed last one after another, never two at the
// same place (the next position is read in the create's transaction).
func TestConcurrentNewLinksTakeDistinctPositions(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	testutil.RelaxRateLimits(t, app)
	h := testutil.Handler(t, app)
	auth := map[string]string{"Authorization": testutil.Token(t, ann)}

	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"owner":%q,"title":"link %d","url":"https://example.com/%d"}`, ann.Id, i, i)
			if res := testutil.Send(h, "POST", "/api/collections/links/records", body, auth); res.Code != 200 {
				t.Errorf("create %d: %d %s", i, res.Code, res.Body.String())
			}
		})
	}
	wg.Wait()

	var positions []int
	err := app.DB().NewQuery("SELECT [[position]] FROM {{links}} WHERE [[owner]] = {:owner} ORDER BY [[position]]").
		Bind(dbx.Params{"owner": ann.Id}).Column(&positions)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(positions, want) {
		t.Fatalf("positions %v, want %v", positions, want)
	}
}
