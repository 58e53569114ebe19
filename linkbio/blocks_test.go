package linkbio

import (
	"errors"
	"testing"
)

func TestCheckBlock(t *testing.T) {
	cases := []struct {
		name, kind, url string
		kindErr, urlErr error
	}{
		{"a link", KindLink, "https://example.com", nil, nil},
		{"a link written without a kind", "", "https://example.com", nil, nil},
		{"a link without a url", KindLink, "", nil, ErrURLInvalid},
		{"a link to javascript", "", "javascript:alert(1)", nil, ErrURLScheme},
		{"a header", KindHeader, "", nil, nil},
		{"a header with a url", KindHeader, "https://example.com", nil, ErrHeaderURL},
		{"an unknown kind", "image", "https://example.com", ErrKindInvalid, nil},
		{"a kind in capitals", "HEADER", "", ErrKindInvalid, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kindErr, urlErr := CheckBlock(c.kind, c.url)
			if !errors.Is(kindErr, c.kindErr) || (c.kindErr == nil) != (kindErr == nil) {
				t.Errorf("kind error = %v, want %v", kindErr, c.kindErr)
			}
			if !errors.Is(urlErr, c.urlErr) || (c.urlErr == nil) != (urlErr == nil) {
				t.Errorf("url error = %v, want %v", urlErr, c.urlErr)
			}
		})
	}
	if NormalizeKind("") != KindLink || NormalizeKind(KindHeader) != KindHeader {
		t.Error("NormalizeKind")
	}
}
