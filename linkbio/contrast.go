package linkbio

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ErrThemeContrast is returned for a theme whose colours would draw text
// or buttons that people cannot read: below MinContrast against what they
// are drawn on.
var ErrThemeContrast = errors.New("theme contrast too low")

// MinContrast is WCAG 2.1's AA contrast ratio for normal text (1.4.3).
const MinContrast = 4.5

// DefaultTheme is the page's look when the owner chose nothing.
var DefaultTheme = Theme{Background: "#f8fafc", Text: "#0f172a", Button: "#0f172a", ButtonText: "#f8fafc", Accent: "#2563eb", ButtonStyle: "rounded", Font: "system"}

// ColourPair is one foreground drawn on one background by the public page.
type ColourPair struct {
	Name       string // what is drawn, e.g. "text on background"
	Foreground string
	Background string
}

// Pairs lists every foreground/background pair the public page draws with
// a theme's colours: the name, bio, headers and social icons in the text
// colour; the username and focus ring in the accent colour; a button's
// label on the button; and the button on the page (the label and border of
// an outline button, the shape of a filled one).
func (t Theme) Pairs() []ColourPair {
	return []ColourPair{
		{"text on background", t.Text, t.Background},
		{"accent on background", t.Accent, t.Background},
		{"button text on button", t.ButtonText, t.Button},
		{"button on background", t.Button, t.Background},
	}
}

// candidates are tried, in order, for a colour the owner left unset: the
// default first, then the other default shades, then black and white, one
// of which always reaches 4.5:1 against any single colour.
var candidates = struct{ background, text, button, buttonText, accent []string }{
	background: []string{"#f8fafc", "#0f172a", "#ffffff", "#000000"},
	text:       []string{"#0f172a", "#f8fafc", "#000000", "#ffffff"},
	button:     []string{"#0f172a", "#f8fafc", "#000000", "#ffffff"},
	buttonText: []string{"#f8fafc", "#0f172a", "#ffffff", "#000000"},
	accent:     []string{"#2563eb", "#93c5fd", "#1e3a8a", "#0f172a", "#f8fafc", "#000000", "#ffffff"},
}

// Resolve returns the theme as the page draws it: the colours the owner
// set, and for each one left unset the first candidate that keeps every
// pair at MinContrast or more (so a dark background alone gets light text
// and light buttons). Button style and font default too. It fails with
// ErrThemeContrast, naming the pair, when the colours that were set
// cannot be drawn readably whatever the others.
func (t Theme) Resolve() (Theme, error) {
	if t.ButtonStyle == "" {
		t.ButtonStyle = DefaultTheme.ButtonStyle
	}
	if t.Font == "" {
		t.Font = DefaultTheme.Font
	}
	// The colours in resolution order; every pair is checked as soon as
	// both of its colours are chosen.
	slots := []struct {
		value   *string
		choices []string
	}{
		{&t.Background, candidates.background}, {&t.Text, candidates.text},
		{&t.Button, candidates.button}, {&t.ButtonText, candidates.buttonText},
		{&t.Accent, candidates.accent},
	}
	var choose func(i int) bool
	choose = func(i int) bool {
		if i == len(slots) {
			return true
		}
		s := slots[i]
		given := *s.value
		choices := s.choices
		if given != "" {
			choices = []string{given}
		}
		for _, c := range choices {
			*s.value = c
			if t.readableSoFar() && choose(i+1) {
				return true
			}
		}
		*s.value = given
		return false
	}
	set := t
	if !choose(0) {
		return Theme{}, contrastError(set)
	}
	return t, nil
}

// readableSoFar checks the pairs whose colours are both chosen.
func (t Theme) readableSoFar() bool {
	for _, p := range t.Pairs() {
		if p.Foreground != "" && p.Background != "" && Contrast(p.Foreground, p.Background) < MinContrast {
			return false
		}
	}
	return true
}

// contrastError names the first pair of set colours that is too faint, or
// says that no choice of the unset ones can satisfy every pair.
func contrastError(set Theme) error {
	for _, p := range set.Pairs() {
		if p.Foreground != "" && p.Background != "" {
			if r := Contrast(p.Foreground, p.Background); r < MinContrast {
				return fmt.Errorf("%w: %s is %.2f:1, needs %.1f:1", ErrThemeContrast, p.Name, r, MinContrast)
			}
		}
	}
	return fmt.Errorf("%w: no colours for the unset keys keep every pair at %.1f:1", ErrThemeContrast, MinContrast)
}

// Contrast is the WCAG 2.1 contrast ratio of two #rgb or #rrggbb colours,
// from 1 (the same) to 21 (black on white). A malformed colour counts as
// black.
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2.1's relative luminance of an sRGB colour.
func luminance(colour string) float64 {
	r, g, b := RGB(colour)
	return 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(b)
}

func linear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.03928 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// RGB reads a theme colour, #rgb or #rrggbb (black if malformed; ParseTheme
// admits no other).
func RGB(colour string) (r, g, b uint8) {
	hex := colour
	if len(hex) > 0 && hex[0] == '#' {
		hex = hex[1:]
	}
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	if len(hex) != 6 {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v)
}
