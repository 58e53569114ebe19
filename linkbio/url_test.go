package linkbio

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateURL(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", MaxURLLength-len("https://example.com/"))
	cases := []struct {
		name string
		url  string
		want error
	}{
		{"plain https", "https://example.com", nil},
		{"http with path, query and fragment", "http://example.com/a/b?q=1&r=x%20y#top", nil},
		{"unicode host", "https://bücher.de/straße?q=ü", nil},
		{"punycode host", "https://xn--bcher-kva.de/", nil},
		{"upper-case scheme", "HTTPS://example.com/", nil},
		{"port", "https://example.com:8443/x", nil},
		{"mailto", "mailto:ann@example.com?subject=Hi", nil},
		{"tel", "tel:+44-20-7946-0000", nil},
		{"exactly 2048 characters", long, nil},
		{"2049 characters", long + "a", ErrURLTooLong},
		{"javascript", "javascript:alert(1)", ErrURLScheme},
		{"mixed-case javascript", "JaVaScRiPt:alert(1)", ErrURLScheme},
		{"data", "data:text/html,<script>alert(1)</script>", ErrURLScheme},
		{"vbscript", "vbscript:msgbox(1)", ErrURLScheme},
		{"file", "file:///etc/passwd", ErrURLScheme},
		{"ftp", "ftp://example.com/", ErrURLScheme},
		{"leading space", " https://example.com", ErrURLInvalid},
		{"leading space before javascript", " javascript:alert(1)", ErrURLInvalid},
		{"trailing newline", "https://example.com\n", ErrURLInvalid},
		{"tab inside the scheme", "java\tscript:alert(1)", ErrURLInvalid},
		{"nul byte", "https://example.com/\x00", ErrURLInvalid},
		{"escape character", "https://exa\x1bmple.com", ErrURLInvalid},
		{"zero-width space", "https://exa\u200bmple.com", ErrURLInvalid},
		{"invalid utf-8", "https://example.com/\xff", ErrURLInvalid},
		{"empty", "", ErrURLInvalid},
		{"relative path", "/dashboard", ErrURLInvalid},
		{"relative name", "example.com", ErrURLInvalid},
		{"protocol-relative", "//evil.example/", ErrURLInvalid},
		{"http without host", "http:///path", ErrURLInvalid},
		{"http opaque", "http:example.com", ErrURLInvalid},
		{"credentials disguising the host", "https://bank.example@evil.example/", ErrURLInvalid},
		{"empty mailto", "mailto:", ErrURLInvalid},
		{"empty tel", "tel:", ErrURLInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ValidateURL(c.url); !errors.Is(got, c.want) || (c.want == nil && got != nil) {
				t.Fatalf("ValidateURL(%q) = %v, want %v", c.url, got, c.want)
			}
		})
	}
}
