package linkbio

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// FuzzValidateURL holds the invariant that matters for the public page: an
// accepted URL parses, uses an allowed scheme and carries no whitespace or
// control character that a browser might strip before reading the scheme.
func FuzzValidateURL(f *testing.F) {
	for _, seed := range []string{"https://example.com/?q=1", "JaVaScRiPt:alert(1)", " http://x", "mailto:a@b", "tel:+1", "\x00", "//x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if ValidateURL(raw) != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || !allowedSchemes[strings.ToLower(u.Scheme)] || len(raw) > MaxURLLength {
			t.Fatalf("accepted %q", raw)
		}
		if strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			t.Fatalf("accepted %q with whitespace or a control character", raw)
		}
	})
}

// FuzzParseTheme: any accepted theme yields only colours of the #rgb or
// #rrggbb form, safe to write into CSS.
func FuzzParseTheme(f *testing.F) {
	f.Add(`{"background":"#fff","font":"serif"}`)
	f.Add(`{"text":"#fff;}"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		th, err := ParseTheme([]byte(raw))
		if err != nil {
			return
		}
		for _, c := range []string{th.Background, th.Text, th.Button, th.ButtonText, th.Accent} {
			if c != "" && !colourRe.MatchString(c) {
				t.Fatalf("accepted colour %q from %q", c, raw)
			}
		}
	})
}

// FuzzParseSocials: an accepted list has known platforms, once each, and
// URLs that pass ValidateURL with their platform's scheme.
func FuzzParseSocials(f *testing.F) {
	f.Add(`[{"platform":"x","url":"https://x.com/a"}]`)
	f.Add(`[{"platform":"email","url":"a@b"}]`)
	f.Fuzz(func(t *testing.T, raw string) {
		list, err := ParseSocials([]byte(raw))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range list {
			scheme := strings.ToLower(strings.SplitN(s.URL, ":", 2)[0])
			wantMail := s.Platform == PlatformEmail
			if seen[s.Platform] || ValidateURL(s.URL) != nil || (scheme == "mailto") != wantMail {
				t.Fatalf("accepted %q", raw)
			}
			seen[s.Platform] = true
		}
	})
}
