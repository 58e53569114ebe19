package linkbio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Social is one icon of a profile's social row: a platform and the URL of
// the owner's account there (users.socials holds a list of them).
type Social struct {
	Platform string `json:"platform"`
	URL      string `json:"url"`
}

// Platform names, as API.md lists them.
const (
	PlatformEmail   = "email"
	PlatformWebsite = "website"
)

// Platforms lists the platforms a social icon may stand for, in the order
// the dashboard offers them.
var Platforms = []string{
	"instagram", "tiktok", "youtube", "x", "facebook", "linkedin", "github",
	"twitch", "spotify", "soundcloud", PlatformEmail, PlatformWebsite,
}

// MaxSocials bounds the social row: one icon per platform.
var MaxSocials = len(Platforms)

// Errors about socials. The list as a whole is refused with
// ErrSocialsInvalid (not a list of {"platform", "url"}) or
// ErrTooManySocials; a bad entry is reported in SocialErrors.
var (
	ErrSocialsInvalid   = errors.New("socials must be a list of {platform, url}")
	ErrTooManySocials   = errors.New("too many socials")
	ErrPlatformInvalid  = errors.New("unknown platform")
	ErrPlatformRepeated = errors.New("platform listed twice")
	ErrSocialEmail      = errors.New("email social must be an address or mailto: url")
	ErrSocialWeb        = errors.New("social url must be http or https")
)

// SocialError is what is wrong with one entry of a socials list: Field is
// "platform" or "url".
type SocialError struct {
	Index int
	Field string
	Err   error
}

func (e SocialError) Error() string {
	return fmt.Sprintf("socials[%d].%s: %v", e.Index, e.Field, e.Err)
}

func (e SocialError) Unwrap() error { return e.Err }

// SocialErrors lists every bad entry of a socials list at once.
type SocialErrors []SocialError

func (es SocialErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is find each entry's sentinel.
func (es SocialErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ParseSocials decodes, normalises and checks a socials list. An empty
// value, null and [] are no socials. Surrounding spaces are trimmed, a
// bare address for email becomes a mailto: URL, and every URL must then
// pass ValidateURL with the scheme its platform calls for (mailto: for
// email, http or https for the rest). The normalised list is returned, to
// be stored as it was checked.
func ParseSocials(raw []byte) ([]Social, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return []Social{}, nil
	}
	var list []Social
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil || dec.More() {
		return nil, ErrSocialsInvalid
	}
	if len(list) > MaxSocials {
		return nil, ErrTooManySocials
	}
	var errs SocialErrors
	seen := map[string]bool{}
	for i := range list {
		s := &list[i]
		s.Platform = strings.TrimSpace(s.Platform)
		s.URL = normalizeSocialURL(s.Platform, strings.TrimSpace(s.URL))
		switch {
		case !oneOf(s.Platform, Platforms):
			errs = append(errs, SocialError{i, "platform", ErrPlatformInvalid})
		case seen[s.Platform]:
			errs = append(errs, SocialError{i, "platform", ErrPlatformRepeated})
		}
		seen[s.Platform] = true
		if err := checkSocialURL(s.Platform, s.URL); err != nil {
			errs = append(errs, SocialError{i, "url", err})
		}
	}
	if errs != nil {
		return nil, errs
	}
	return list, nil
}

// normalizeSocialURL turns a bare email address into a mailto: URL.
func normalizeSocialURL(platform, raw string) string {
	if platform == PlatformEmail && raw != "" && !strings.Contains(raw, ":") {
		return "mailto:" + raw
	}
	return raw
}

func checkSocialURL(platform, raw string) error {
	if err := ValidateURL(raw); err != nil && !errors.Is(err, ErrURLScheme) {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ErrURLInvalid
	}
	scheme := strings.ToLower(u.Scheme)
	if platform == PlatformEmail {
		if scheme != "mailto" || !strings.Contains(u.Opaque, "@") {
			return ErrSocialEmail
		}
		return nil
	}
	if scheme != "http" && scheme != "https" {
		return ErrSocialWeb
	}
	return nil
}
