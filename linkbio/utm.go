package linkbio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxUTMSourceLength bounds a kept utm_source, in bytes.
const MaxUTMSourceLength = 64

// UTMOther is the source under which rare sources are counted (and a
// source literally named "other").
const UTMOther = "other"

// UTMSource reduces the utm_source of a page URL to the name analytics
// count it under: trimmed and lowercased, so "Instagram" and "instagram "
// are one source. It returns "" (no source) for a value that is empty,
// longer than MaxUTMSourceLength, not UTF-8, or holds control or
// invisible characters: campaign names are typed by people, anything else
// is noise or an attempt to grow the rollups.
func UTMSource(raw string) string {
	if !utf8.ValidString(raw) {
		return ""
	}
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" || len(s) > MaxUTMSourceLength {
		return ""
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			return ""
		}
	}
	return s
}
