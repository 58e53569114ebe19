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

// ParseTheme decodes and checks a theme: the schema (ErrThemeInvalid), then
// that its colours can be drawn readably (ErrThemeContrast, see Resolve).
// An empty value, null and {} are the default theme.
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
	if _, err := t.Resolve(); err != nil {
		return Theme{}, err
	}
	return t, nil
}

// WithDefaults returns the theme as the page draws it (see Resolve). A
// theme that cannot be drawn readably, stored before contrast was checked,
// keeps its button style and font and takes the default colours.
func (t Theme) WithDefaults() Theme {
	if r, err := t.Resolve(); err == nil {
		return r
	}
	d := DefaultTheme
	d.ButtonStyle, d.Font = t.ButtonStyle, t.Font
	r, _ := d.Resolve() // fills an empty style or font
	return r
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
