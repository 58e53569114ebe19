package hooks_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

func newLink(t testing.TB, app core.App, owner *core.Record, fields map[string]any) *core.Record {
	t.Helper()
	links, err := app.FindCollectionByNameOrId(schema.Links)
	if err != nil {
		t.Fatal(err)
	}
	link := core.NewRecord(links)
	link.Set(schema.LinkOwner, owner.Id)
	link.Set(schema.LinkTitle, "My site")
	link.Set(schema.LinkURL, "https://example.com")
	link.Set(schema.LinkEnabled, true)
	for k, v := range fields {
		link.Set(k, v)
	}
	return link
}

// fieldCode returns the stable code that err reports for field.
func fieldCode(err error, field string) string {
	var errs validation.Errors
	if !errors.As(err, &errs) {
		return ""
	}
	var ve validation.Error
	if errors.As(errs[field], &ve) {
		return ve.Code()
	}
	return ""
}

func TestLinkValidation(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	cases := []struct {
		name   string
		fields map[string]any
		field  string
		code   string
	}{
		{"javascript url", map[string]any{schema.LinkURL: "JaVaScRiPt:alert(1)"}, schema.LinkURL, "url_scheme"},
		{"url with leading space", map[string]any{schema.LinkURL: " https://example.com"}, schema.LinkURL, "url_invalid"},
		{"relative url", map[string]any{schema.LinkURL: "/login"}, schema.LinkURL, "url_invalid"},
		{"blank title", map[string]any{schema.LinkTitle: "   "}, schema.LinkTitle, "validation_required"},
		{"schedule ending before it starts", map[string]any{schema.LinkStartsAt: start, schema.LinkEndsAt: start.Add(-time.Hour)}, schema.LinkEndsAt, "schedule_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := app.Save(newLink(t, app, ann, c.fields))
			if got := fieldCode(err, c.field); got != c.code {
				t.Fatalf("Save() = %v, want %s on %s", err, c.code, c.field)
			}
		})
	}

	t.Run("every bad field at once", func(t *testing.T) {
		err := app.Save(newLink(t, app, ann, map[string]any{schema.LinkURL: "data:x", schema.LinkTitle: ""}))
		if fieldCode(err, schema.LinkURL) != "url_scheme" || fieldCode(err, schema.LinkTitle) == "" {
			t.Fatalf("Save() = %v, want url and title errors", err)
		}
	})

	t.Run("title is trimmed", func(t *testing.T) {
		link := newLink(t, app, ann, map[string]any{schema.LinkTitle: "  Shop  "})
		if err := app.Save(link); err != nil {
			t.Fatal(err)
		}
		if got := link.GetString(schema.LinkTitle); got != "Shop" {
			t.Fatalf("title = %q", got)
		}
	})
}

func TestLinkLimitUnderConcurrentCreates(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	for i := range schema.MaxLinksPerUser - 5 {
		if err := app.Save(newLink(t, app, ann, map[string]any{schema.LinkPosition: i})); err != nil {
			t.Fatal(err)
		}
	}

	var wg sync.WaitGroup
	var created, refused atomic.Int64
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := app.Save(newLink(t, app, ann, map[string]any{schema.LinkTitle: fmt.Sprint("extra ", i)}))
			switch {
			case err == nil:
				created.Add(1)
			case fieldCode(err, schema.LinkOwner) == "too_many_links":
				refused.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()

	if created.Load() != 5 || refused.Load() != 15 {
		t.Fatalf("created %d, refused %d; want 5 and 15", created.Load(), refused.Load())
	}
	if n, _ := app.CountRecords(schema.Links, nil); n != schema.MaxLinksPerUser {
		t.Fatalf("%d links stored, want %d", n, schema.MaxLinksPerUser)
	}
	// The limit is per user.
	if err := app.Save(newLink(t, app, bob, nil)); err != nil {
		t.Fatalf("another user's first link: %v", err)
	}
}
