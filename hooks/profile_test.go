package hooks_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

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

func TestAvatarLimits(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	users, _ := app.FindCollectionByNameOrId(schema.Users)
	field, _ := users.Fields.GetByName(schema.UserAvatar).(*core.FileField)
	if field == nil || field.MaxSize != 2<<20 || len(field.Thumbs) == 0 || slices.Contains(field.MimeTypes, "image/svg+xml") {
		t.Fatalf("avatar field = %+v", field)
	}

	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	huge := append(append([]byte{}, png...), make([]byte, 2<<20)...)
	cases := []struct {
		name string
		data []byte
		file string
		ok   bool
	}{
		{"small png", png, "me.png", true},
		{"svg with a script", svg, "me.svg", false},
		{"png over 2 MiB", huge, "big.png", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := filesystem.NewFileFromBytes(c.data, c.file)
			if err != nil {
				t.Fatal(err)
			}
			ann.Set(schema.UserAvatar, f)
			err = app.Save(ann)
			if c.ok != (err == nil) {
				t.Fatalf("Save() = %v, want ok=%v", err, c.ok)
			}
			if !c.ok && fieldCode(err, schema.UserAvatar) == "" {
				t.Fatalf("Save() = %v, want an avatar field error", err)
			}
		})
	}
}
