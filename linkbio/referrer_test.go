package linkbio

import (
	"strings"
	"testing"
)

func TestReferrerHost(t *testing.T) {
	cases := map[string]string{
		"":                                    "",
		"https://www.Instagram.com/p/abc?x=1": "www.instagram.com",
		"http://t.co/xyz":                     "t.co",
		"https://example.com.:443/":           "example.com",
		"android-app://com.google.app/":       "",
		"/relative":                           "",
		"not a url at all":                    "",
		"https://" + strings.Repeat("a", 300) + ".com/": "",
	}
	for in, want := range cases {
		if got := ReferrerHost(in); got != want {
			t.Errorf("ReferrerHost(%q) = %q, want %q", in, got, want)
		}
	}
}
