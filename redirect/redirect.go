// Package redirect decides where a redirect whose target comes from a URL
// (a login page's ?next=, …) may go: only to a path of the app's own
// origin, judged after the normalisation a browser applies to the target,
// so that "/\t/evil.com" (which a browser reads as "//evil.com"),
// "/\\evil.com", "https:evil.com" and the like never leave the site.
// pb_public/assets/redirect.js is the same rule for the pages.
package redirect

import (
	"encoding/hex"
	"net/url"
	"strings"

	"linkbase/csrf"
)

// Local returns raw resolved against origin as a browser resolves it, as a
// path-absolute reference ("/path?query#fragment") when it stays on
// origin, else fallback. The answer never starts with "//" or "/\", so a
// browser cannot read it as another host whatever it is relative to.
func Local(raw, origin, fallback string) string {
	base, err := url.Parse(origin)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return fallback
	}
	cleaned := browserClean(raw)
	if cleaned == "" {
		return fallback
	}
	ref, err := url.Parse(cleaned)
	if err != nil {
		return fallback
	}
	target := base.ResolveReference(ref)
	if target.User != nil || !csrf.SameOrigin(target.Scheme+"://"+target.Host, origin) {
		return fallback
	}
	local := "/" + strings.TrimLeft(target.EscapedPath(), "/")
	if target.RawQuery != "" {
		local += "?" + escapeQuery(target.RawQuery)
	}
	if target.Fragment != "" {
		local += "#" + target.EscapedFragment()
	}
	return local
}

// browserClean does to raw what the WHATWG URL parser does before it
// reads an http(s) URL: leading and trailing C0 controls and spaces go,
// tabs and newlines anywhere go, a backslash before the query is a slash,
// and any run of slashes that starts a reference introduces a host, as
// "//" does ("///evil.com" is evil.com to a browser).
func browserClean(raw string) string {
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= 0x20 })
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	end := strings.IndexAny(raw, "?#")
	if end < 0 {
		end = len(raw)
	}
	raw = strings.ReplaceAll(raw[:end], `\`, "/") + raw[end:]
	if rest := strings.TrimLeft(raw, "/"); len(raw)-len(rest) > 2 {
		raw = "//" + rest
	}
	return raw
}

// escapeQuery percent-encodes what a raw query may still hold but a
// Location header should not (backslashes, spaces, quotes, non-ASCII),
// leaving its own escapes and separators as they are.
func escapeQuery(q string) string {
	var b strings.Builder
	for i := range len(q) {
		c := q[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte(`\"<>`+"`{}|^", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
