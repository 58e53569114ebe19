package linkbio

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/theme-resolve.json from the Go rules")

func TestContrast(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"#000", "#fff", 21},
		{"#ffffff", "#000000", 21},
		{"#123456", "#123456", 1},
		{"#767676", "#ffffff", 4.54},
		{"#777777", "#ffffff", 4.48},
		{"#2563eb", "#f8fafc", 4.94},
	}
	for _, c := range cases {
		if got := Contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name  string
		theme Theme
		check func(Theme) string
		err   bool
	}{
		{"nothing set is the default", Theme{}, func(r Theme) string {
			if r != DefaultTheme {
				return fmt.Sprintf("%+v, want the default", r)
			}
			return ""
		}, false},
		{"only a dark background gets light text and buttons", Theme{Background: "#111111"}, func(r Theme) string {
			if luminance(r.Text) < 0.5 || luminance(r.Button) < 0.5 {
				return fmt.Sprintf("text %s and button %s should be light", r.Text, r.Button)
			}
			return ""
		}, false},
		{"only a light button darkens the page", Theme{Button: "#38bdf8"}, func(r Theme) string {
			if luminance(r.Background) > 0.2 {
				return fmt.Sprintf("background %s should be dark", r.Background)
			}
			return ""
		}, false},
		{"set colours are kept", Theme{Background: "#fff7ed", Text: "#431407", ButtonStyle: "pill"}, func(r Theme) string {
			if r.Background != "#fff7ed" || r.Text != "#431407" || r.ButtonStyle != "pill" || r.Font != "system" {
				return fmt.Sprintf("%+v", r)
			}
			return ""
		}, false},
		{"faint text on its background", Theme{Background: "#ffffff", Text: "#bbbbbb"}, nil, true},
		{"a button the same colour as the page", Theme{Background: "#0f172a", Button: "#0f172a"}, nil, true},
		{"unreadable button text", Theme{Button: "#2563eb", ButtonText: "#1d4ed8"}, nil, true},
		{"a faint accent", Theme{Background: "#ffffff", Accent: "#93c5fd"}, nil, true},
		{"set colours that no background can carry", Theme{Text: "#808080", Button: "#333333"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.theme.Resolve()
			if c.err {
				if !errors.Is(err, ErrThemeContrast) {
					t.Fatalf("Resolve() = %+v, %v; want ErrThemeContrast", r, err)
				}
				if _, err := ParseTheme(mustJSON(t, c.theme)); !errors.Is(err, ErrThemeContrast) {
					t.Fatalf("ParseTheme() = %v, want ErrThemeContrast", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() = %v", err)
			}
			assertReadable(t, r)
			if msg := c.check(r); msg != "" {
				t.Fatal(msg)
			}
		})
	}
}

// TestResolveAlwaysReadable resolves many random partial themes: each
// either resolves to one whose every pair reaches 4.5:1 and keeps every
// colour that was set, or is refused with ErrThemeContrast.
func TestResolveAlwaysReadable(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	resolved := 0
	for i := 0; i < 3000; i++ {
		th := randomTheme(rng)
		r, err := th.Resolve()
		if err != nil {
			if !errors.Is(err, ErrThemeContrast) {
				t.Fatalf("Resolve(%+v) = %v", th, err)
			}
			continue
		}
		resolved++
		assertReadable(t, r)
		for _, p := range [][2]string{{th.Background, r.Background}, {th.Text, r.Text}, {th.Button, r.Button}, {th.ButtonText, r.ButtonText}, {th.Accent, r.Accent}} {
			if p[0] != "" && p[0] != p[1] {
				t.Fatalf("Resolve(%+v) changed a set colour: %+v", th, r)
			}
		}
	}
	if resolved < 500 {
		t.Fatalf("only %d of 3000 random themes resolved: the test checks too little", resolved)
	}
}

// TestThemePresets checks the dashboard's presets (and the default): each
// passes ParseTheme and draws every pair at 4.5:1 or more.
func TestThemePresets(t *testing.T) {
	raw, err := os.ReadFile("../pb_public/assets/theme-presets.json")
	if err != nil {
		t.Fatal(err)
	}
	var presets []struct {
		ID    string          `json:"id"`
		Name  string          `json:"name"`
		Theme json.RawMessage `json:"theme"`
	}
	if err := json.Unmarshal(raw, &presets); err != nil {
		t.Fatal(err)
	}
	if len(presets) < 4 {
		t.Fatalf("%d presets", len(presets))
	}
	for _, p := range presets {
		th, err := ParseTheme(p.Theme)
		if err != nil {
			t.Errorf("preset %s: %v", p.ID, err)
			continue
		}
		if r := th.WithDefaults(); r != th {
			t.Errorf("preset %s leaves colours to chance: %+v", p.ID, th)
		}
		assertReadable(t, th)
	}
	if presets[0].ID != "classic" || !reflect.DeepEqual(mustParse(t, presets[0].Theme), DefaultTheme) {
		t.Errorf("the first preset should be the default theme")
	}
	assertReadable(t, DefaultTheme)
}

// TestResolveCasesFile keeps testdata/theme-resolve.json equal to what the
// Go rules give; the dashboard's theme.js is tested against the same file
// (e2e/tests/theme.test.js), so the live preview and the server agree.
// go test ./linkbio -run ResolveCasesFile -update rewrites it.
func TestResolveCasesFile(t *testing.T) {
	type resolveCase struct {
		Theme    Theme  `json:"theme"`
		Resolved *Theme `json:"resolved"`
	}
	rng := rand.New(rand.NewPCG(1, 6))
	themes := []Theme{{}, {Background: "#111111"}, {Button: "#38bdf8"}, {Background: "#ffffff", Text: "#bbbbbb"},
		{Text: "#808080", Button: "#333333"}, {Background: "#808080"}, {Accent: "#fde047"}, {ButtonText: "#000"}}
	for len(themes) < 60 {
		themes = append(themes, randomTheme(rng))
	}
	var cases []resolveCase
	for _, th := range themes {
		c := resolveCase{Theme: th}
		if r, err := th.Resolve(); err == nil {
			c.Resolved = &r
		}
		cases = append(cases, c)
	}
	got, err := json.MarshalIndent(cases, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const file = "testdata/theme-resolve.json"
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil || string(want) != string(got) {
		t.Fatalf("%s is out of date (%v): run go test ./linkbio -run ResolveCasesFile -update", file, err)
	}
}

func randomTheme(rng *rand.Rand) Theme {
	colour := func() string {
		if rng.IntN(2) == 0 {
			return ""
		}
		return fmt.Sprintf("#%06x", rng.IntN(1<<24))
	}
	return Theme{Background: colour(), Text: colour(), Button: colour(), ButtonText: colour(), Accent: colour()}
}

func assertReadable(t *testing.T, th Theme) {
	t.Helper()
	for _, p := range th.Pairs() {
		if r := Contrast(p.Foreground, p.Background); r < MinContrast {
			t.Errorf("%+v: %s (%s on %s) is %.2f:1", th, p.Name, p.Foreground, p.Background, r)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, raw []byte) Theme {
	t.Helper()
	th, err := ParseTheme(raw)
	if err != nil {
		t.Fatal(err)
	}
	return th
}
