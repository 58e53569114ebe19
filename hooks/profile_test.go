package hooks_test

import (
	"testing"

	"linkbase/schema"
	"linkbase/testutil"
)

func TestThemeValidation(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	cases := []struct {
		name  string
		theme string
		ok    bool
	}{
		{"documented theme", `{"background":"#000","text":"#ffffff","button_style":"pill","font":"mono"}`, true},
		{"empty theme", `{}`, true},
		{"css injection", `{"background":"#000;}</style><script>"}`, false},
		{"unknown key", `{"wallpaper":"cats.png"}`, false},
		{"unknown font", `{"font":"papyrus"}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ann.Set(schema.UserTheme, c.theme)
			err := app.Save(ann)
			if c.ok && err != nil {
				t.Fatalf("Save() = %v", err)
			}
			if !c.ok && fieldCode(err, schema.UserTheme) != "theme_invalid" {
				t.Fatalf("Save() = %v, want theme_invalid", err)
			}
		})
	}
}
