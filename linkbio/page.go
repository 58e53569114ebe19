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
	PreviewURL                 string // the link preview (og:image), PreviewWidth × PreviewHeight
	Theme                      Theme
	Socials                    []PageSocial // the icon row, in order
	Blocks                     []PageBlock  // shown now, in order
}

// The size of the link preview a page names as its og:image.
const (
	PreviewWidth  = 1200
	PreviewHeight = 630
)

// PageSocial is an icon of the social row: the platform's name (the
// link's accessible name), the owner's URL there and the inline icon.
type PageSocial struct {
	Label, URL string
	Icon       template.HTML
}

// PageBlock is a block as the page shows it: a link (its title, leading
// through the counted click URL) or a section header.
type PageBlock struct {
	Header          bool
	Title, ClickURL string
}

// pageSection is a header and the links under it, up to the next one; the
// links before any header make a section without a title.
type pageSection struct {
	Title string
	Links []PageBlock
}

// sections groups blocks under their headers.
func sections(blocks []PageBlock) []pageSection {
	var out []pageSection
	for _, b := range blocks {
		if b.Header || len(out) == 0 {
			out = append(out, pageSection{})
		}
		if b.Header {
			out[len(out)-1].Title = b.Title
			continue
		}
		out[len(out)-1].Links = append(out[len(out)-1].Links, b)
	}
	return out
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
		"Theme": p.Theme.WithDefaults(), "Sections": sections(p.Blocks), "Socials": p.Socials,
		"StylesheetURL": p.StylesheetURL, "PreviewURL": p.PreviewURL,
		"PreviewWidth": PreviewWidth, "PreviewHeight": PreviewHeight,
	})
	return buf.Bytes(), err
}
