package linkbio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// ErrThemeInvalid is returned for a theme that does not fit the schema.
var ErrThemeInvalid = errors.New("invalid theme")

// Theme is the documented schema of a profile's theme (the users.theme
// JSON field). Every key is optional; unknown keys are refused so that a
// typo is reported rather than silently ignored.
//
//	{"background": "#0f172a", "text": "#f8fafc", "button": "#38bdf8",
//	 "button_text": "#0f172a", "accent": "#f43f5e", "button_style": "pill",
//	 "font": "serif"}
type Theme struct {
	Background  string `json:"background,omitempty"`
	Text        string `json:"text,omitempty"`
	Button      string `json:"button,omitempty"`
	ButtonText  string `json:"button_text,omitempty"`
	Accent      string `json:"accent,omitempty"`
	ButtonStyle string `json:"button_style,omitempty"`
	Font        string `json:"font,omitempty"`
}

// ButtonStyles and Fonts are the values allowed for those theme keys.
var (
	ButtonStyles = []string{"filled", "outline", "rounded", "pill"}
	Fonts        = []string{"system", "serif", "mono", "rounded"}
)

// colourRe admits only #rgb and #rrggbb, so a colour can be written into
// CSS without any way to break out of the declaration.
var colourRe = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// ParseTheme decodes and checks a theme. An empty value, null and {} are the
// default theme.
func ParseTheme(raw []byte) (Theme, error) {
	var t Theme
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return t, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Theme{}, fmt.Errorf("%w: %v", ErrThemeInvalid, err)
	}
	if dec.More() {
		return Theme{}, fmt.Errorf("%w: trailing data", ErrThemeInvalid)
	}
	for name, c := range map[string]string{"background": t.Background, "text": t.Text, "button": t.Button, "button_text": t.ButtonText, "accent": t.Accent} {
		if c != "" && !colourRe.MatchString(c) {
			return Theme{}, fmt.Errorf("%w: %s must be a #rgb or #rrggbb colour", ErrThemeInvalid, name)
		}
	}
	if t.ButtonStyle != "" && !oneOf(t.ButtonStyle, ButtonStyles) {
		return Theme{}, fmt.Errorf("%w: button_style must be one of %v", ErrThemeInvalid, ButtonStyles)
	}
	if t.Font != "" && !oneOf(t.Font, Fonts) {
		return Theme{}, fmt.Errorf("%w: font must be one of %v", ErrThemeInvalid, Fonts)
	}
	return t, nil
}

// WithDefaults fills every key left empty with the default theme's value.
func (t Theme) WithDefaults() Theme {
	def := Theme{Background: "#f8fafc", Text: "#0f172a", Button: "#0f172a", ButtonText: "#f8fafc", Accent: "#2563eb", ButtonStyle: "rounded", Font: "system"}
	for _, p := range []struct{ v, d *string }{
		{&t.Background, &def.Background}, {&t.Text, &def.Text}, {&t.Button, &def.Button},
		{&t.ButtonText, &def.ButtonText}, {&t.Accent, &def.Accent}, {&t.ButtonStyle, &def.ButtonStyle}, {&t.Font, &def.Font},
	} {
		if *p.v == "" {
			*p.v = *p.d
		}
	}
	return t
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
