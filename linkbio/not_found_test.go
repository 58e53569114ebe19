package linkbio

import (
	"strings"
	"testing"
)

func TestNotFoundPage(t *testing.T) {
	cases := []struct {
		name      string
		want      []string
		notWanted []string
	}{
		{"nosuchuser", []string{"<h1>There is no page at /nosuchuser</h1>", `href="/register"`, `href="/assets/app.css"`, `<meta name="robots" content="noindex">`}, nil},
		{`<script>alert(1)</script>`, []string{"/&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>"}},
		{"", []string{"<h1>Page not found</h1>"}, nil},
		{strings.Repeat("a", maxShownName+1), []string{"<h1>Page not found</h1>"}, nil},
		{"bad\xffname", []string{"<h1>Page not found</h1>"}, nil},
		{"line\nbreak", []string{"<h1>Page not found</h1>"}, nil},
	}
	for _, c := range cases {
		page, err := NotFoundPage(c.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(string(page), w) {
				t.Errorf("NotFoundPage(%q) lacks %q:\n%s", c.name, w, page)
			}
		}
		for _, w := range append(c.notWanted, "<style", " style=", "<script") {
			if strings.Contains(string(page), w) {
				t.Errorf("NotFoundPage(%q) has %q", c.name, w)
			}
		}
	}
}
