package linkbio

import (
	"strings"
	"testing"
)

func TestUTMSource(t *testing.T) {
	for raw, want := range map[string]string{
		"instagram":                 "instagram",
		" Instagram ":               "instagram",
		"TikTok Bio":                "tiktok bio",
		"newsletter-2026_11":        "newsletter-2026_11",
		"":                          "",
		"   ":                       "",
		strings.Repeat("a", 64):     strings.Repeat("a", 64),
		strings.Repeat("a", 65):     "",
		"a\x00b":                    "",
		"a\nb":                      "",
		"in\u200bvisible":           "",
		"\xff\xfe":                  "",
		"<script>alert(1)</script>": "<script>alert(1)</script>", // text, escaped where shown
		"Ünïcödé":                   "ünïcödé",
	} {
		if got := UTMSource(raw); got != want {
			t.Errorf("UTMSource(%q) = %q, want %q", raw, got, want)
		}
	}
}
