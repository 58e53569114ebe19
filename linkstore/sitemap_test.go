package linkstore_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/testutil"
)

func TestSitemapListsEnabledProfiles(t *testing.T) {
	app, links, _ := annWithLinks(t, nil)
	testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	doc, err := links.Sitemap(0)
	if err != nil {
		t.Fatal(err)
	}
	got := string(doc)
	for _, want := range []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
		"<loc>http://localhost:8090/ann</loc>", "<loc>http://localhost:8090/bob</loc>"} {
		if !strings.Contains(got, want) {
			t.Errorf("sitemap lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "/dan<") {
		t.Errorf("a disabled user is listed:\n%s", got)
	}
	if _, err := links.Sitemap(2); !errors.Is(err, linkstore.ErrNotFound) {
		t.Fatalf("page 2 of one: %v", err)
	}
}

func TestSitemapBecomesAnIndexOfPages(t *testing.T) {
	defer func(n int) { linkstore.SitemapURLsPerFile = n }(linkstore.SitemapURLsPerFile)
	linkstore.SitemapURLsPerFile = 2
	clock := state.NewManualClock(testutil.LinkbioNow)
	app, links, _ := annWithLinks(t, clock)
	for i := range 4 {
		testutil.CreateUser(t, app, fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("user%d", i), nil)
	}
	index, err := links.Sitemap(0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if !strings.Contains(string(index), fmt.Sprintf("<sitemap><loc>http://localhost:8090/sitemap.xml?page=%d</loc></sitemap>", i)) {
			t.Fatalf("index lacks page %d:\n%s", i, index)
		}
	}
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		doc, err := links.Sitemap(page)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(doc), "<loc>")
		if n < 1 || n > 2 {
			t.Fatalf("page %d lists %d profiles", page, n)
		}
		for _, part := range strings.Split(string(doc), "<loc>")[1:] {
			loc, _, _ := strings.Cut(part, "</loc>")
			if seen[loc] {
				t.Fatalf("%s listed twice", loc)
			}
			seen[loc] = true
		}
	}
	if len(seen) != 5 {
		t.Fatalf("%d profiles over the pages, want 5", len(seen))
	}
	if _, err := links.Sitemap(4); !errors.Is(err, linkstore.ErrNotFound) {
		t.Fatalf("page 4 of 3: %v", err)
	}
}
