package linkbio

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseSocials(t *testing.T) {
	ok := []struct {
		name, raw string
		want      []Social
	}{
		{"empty", ``, []Social{}},
		{"null", `null`, []Social{}},
		{"no socials", `[]`, []Social{}},
		{"two", `[{"platform":"instagram","url":"https://instagram.com/ann"},{"platform":"github","url":"https://github.com/ann"}]`,
			[]Social{{"instagram", "https://instagram.com/ann"}, {"github", "https://github.com/ann"}}},
		{"a bare email becomes mailto", `[{"platform":"email","url":" ann@example.com "}]`, []Social{{"email", "mailto:ann@example.com"}}},
		{"a mailto url", `[{"platform":"email","url":"mailto:ann@example.com"}]`, []Social{{"email", "mailto:ann@example.com"}}},
		{"spaces trimmed", `[{"platform":" x ","url":" https://x.com/ann "}]`, []Social{{"x", "https://x.com/ann"}}},
		{"a website over http", `[{"platform":"website","url":"http://ann.example"}]`, []Social{{"website", "http://ann.example"}}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseSocials([]byte(c.raw))
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("ParseSocials(%s) = %v, %v; want %v", c.raw, got, err, c.want)
			}
		})
	}

	every := make([]string, 0, len(Platforms)+1)
	for _, p := range Platforms {
		url := "https://example.com/" + p
		if p == PlatformEmail {
			url = "ann@example.com"
		}
		every = append(every, fmt.Sprintf(`{"platform":%q,"url":%q}`, p, url))
	}
	if _, err := ParseSocials([]byte("[" + strings.Join(every, ",") + "]")); err != nil {
		t.Fatalf("one of each platform: %v", err)
	}

	bad := []struct {
		name, raw string
		want      error
		index     int
		field     string
	}{
		{"an object", `{"platform":"x"}`, ErrSocialsInvalid, -1, ""},
		{"a string", `"https://x.com"`, ErrSocialsInvalid, -1, ""},
		{"an unknown key", `[{"platform":"x","url":"https://x.com/a","icon":"<svg>"}]`, ErrSocialsInvalid, -1, ""},
		{"a number for a url", `[{"platform":"x","url":3}]`, ErrSocialsInvalid, -1, ""},
		{"trailing data", `[] []`, ErrSocialsInvalid, -1, ""},
		{"too many", "[" + strings.Join(append(every, every[0]), ",") + "]", ErrTooManySocials, -1, ""},
		{"an unknown platform", `[{"platform":"myspace","url":"https://myspace.com/a"}]`, ErrPlatformInvalid, 0, "platform"},
		{"a platform in capitals", `[{"platform":"GitHub","url":"https://github.com/a"}]`, ErrPlatformInvalid, 0, "platform"},
		{"a platform twice", `[{"platform":"x","url":"https://x.com/a"},{"platform":"x","url":"https://x.com/b"}]`, ErrPlatformRepeated, 1, "platform"},
		{"javascript", `[{"platform":"x","url":"javascript:alert(1)"}]`, ErrSocialWeb, 0, "url"},
		{"tel on a web platform", `[{"platform":"website","url":"tel:+123"}]`, ErrSocialWeb, 0, "url"},
		{"a web link for email", `[{"platform":"email","url":"https://mail.example.com"}]`, ErrSocialEmail, 0, "url"},
		{"mailto without an address", `[{"platform":"email","url":"mailto:?subject=hi"}]`, ErrURLInvalid, 0, "url"},
		{"mailto of no address", `[{"platform":"email","url":"mailto:someone"}]`, ErrSocialEmail, 0, "url"},
		{"no scheme", `[{"platform":"instagram","url":"instagram.com/ann"}]`, ErrURLInvalid, 0, "url"},
		{"an empty url", `[{"platform":"github","url":""}]`, ErrURLInvalid, 0, "url"},
		{"a control character", "[{\"platform\":\"github\",\"url\":\"https://github.com/\\u0000a\"}]", ErrURLInvalid, 0, "url"},
		{"too long", `[{"platform":"website","url":"https://x.com/` + strings.Repeat("a", MaxURLLength) + `"}]`, ErrURLTooLong, 0, "url"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseSocials([]byte(c.raw))
			if !errors.Is(err, c.want) {
				t.Fatalf("ParseSocials() = %v, %v; want %v", got, err, c.want)
			}
			var entries SocialErrors
			if c.index < 0 {
				if errors.As(err, &entries) {
					t.Fatalf("got entry errors %v for a bad list", err)
				}
				return
			}
			if !errors.As(err, &entries) || entries[0].Index != c.index || entries[0].Field != c.field {
				t.Fatalf("err = %#v, want entry %d field %s", err, c.index, c.field)
			}
		})
	}

	t.Run("every bad entry at once", func(t *testing.T) {
		_, err := ParseSocials([]byte(`[{"platform":"myspace","url":"ftp://a"},{"platform":"x","url":"https://x.com/a"},{"platform":"email","url":"https://a"}]`))
		var entries SocialErrors
		if !errors.As(err, &entries) || len(entries) != 3 {
			t.Fatalf("err = %v, want the platform and url of entry 0 and the url of entry 2", err)
		}
	})
}
