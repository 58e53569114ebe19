package linkbio

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
)

//go:embed templates/profile.html templates/not_found.html
var templateFS embed.FS

var profileTemplate = template.Must(template.ParseFS(templateFS, "templates/profile.html"))

// RenderVersion identifies this build's page template and stylesheet, so
// that a cached page's ETag changes with a release.
var RenderVersion = func() string {
	page, _ := templateFS.ReadFile("templates/profile.html")
	sum := sha256.Sum256(append(page, ThemeCSS(Theme{})...))
	return hex.EncodeToString(sum[:8])
}()

// Page is what a public profile page shows.
type Page struct {
	Username, DisplayName, Bio string
	AvatarURL                  string // "" for none
	PageURL                    string // canonical, from the app URL
	StylesheetURL              string // the theme's stylesheet
	Theme                      Theme
	Links                      []PageLink // shown now, in order
}

// PageLink is a link as the page shows it: its title, leading through the
// counted click URL.
type PageLink struct {
	Title, ClickURL string
}

// RenderPage renders the public HTML page; html/template escapes every
// value for its context (text, attribute, URL).
func RenderPage(p Page) ([]byte, error) {
	name := p.DisplayName
	if name == "" {
		name = p.Username
	}
	description := p.Bio
	if description == "" {
		description = fmt.Sprintf("%s's links", name)
	}
	var buf bytes.Buffer
	err := profileTemplate.Execute(&buf, map[string]any{
		"Title": name + " (@" + p.Username + ")", "Name": name, "Username": p.Username,
		"Bio": p.Bio, "Description": description, "PageURL": p.PageURL, "AvatarURL": p.AvatarURL,
		"Theme": p.Theme.WithDefaults(), "Links": p.Links, "StylesheetURL": p.StylesheetURL,
	})
	return buf.Bytes(), err
}
