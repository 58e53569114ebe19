package linkbio

import (
	"errors"
	"testing"
)

func TestParseTheme(t *testing.T) {
	cases := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"empty", ``, true},
		{"null", `null`, true},
		{"empty object", `{}`, true},
		{"every key", `{"background":"#0f172a","text":"#FFF","button":"#38bdf8","button_text":"#000","accent":"#f43f5e","button_style":"pill","font":"serif"}`, true},
		{"bad accent", `{"accent":"blue"}`, false},
		{"unknown key", `{"colour":"#fff"}`, false},
		{"named colour", `{"background":"red"}`, false},
		{"css injection in a colour", `{"background":"#fff;}body{display:none"}`, false},
		{"four-digit colour", `{"text":"#ffff"}`, false},
		{"unknown button style", `{"button_style":"blink"}`, false},
		{"unknown font", `{"font":"Comic Sans"}`, false},
		{"wrong type", `{"font":3}`, false},
		{"array", `["#fff"]`, false},
		{"trailing data", `{} {}`, false},
		{"not json", `{`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTheme([]byte(c.raw))
			if c.ok && err != nil {
				t.Fatalf("ParseTheme(%s) = %v, want ok", c.raw, err)
			}
			if !c.ok && !errors.Is(err, ErrThemeInvalid) {
				t.Fatalf("ParseTheme(%s) = %v, want ErrThemeInvalid", c.raw, err)
			}
		})
	}
}

func TestThemeWithDefaults(t *testing.T) {
	got := Theme{Background: "#000"}.WithDefaults()
	if got.Background != "#000" || got.Text == "" || got.ButtonStyle != "rounded" || got.Font != "system" {
		t.Fatalf("WithDefaults() = %+v", got)
	}
}
