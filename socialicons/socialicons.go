// Package socialicons holds the icons of a profile's social row, one per
// platform of linkbio.Platforms, drawn as inline SVG so that a public page
// makes no request for them (and its CSP needs no exception).
//
// The icons are Tabler Icons' outline set (MIT, icons/LICENSE.txt; see
// icons/SOURCE.txt): one consistent set that has every platform we list,
// LinkedIn and generic mail and web icons included (Simple Icons has
// neither). They are stroked in currentColor, so they take the page's text
// colour and its contrast.
package socialicons

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"

	"linkbase/linkbio"
)

//go:embed icons/*.svg
var files embed.FS

// labels are the platforms' names as people write them, for accessible
// names ("Instagram", not "instagram").
var labels = map[string]string{
	"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "x": "X",
	"facebook": "Facebook", "linkedin": "LinkedIn", "github": "GitHub", "twitch": "Twitch",
	"spotify": "Spotify", "soundcloud": "SoundCloud", "email": "Email", "website": "Website",
}

// paths holds each platform's path data, read once from the embedded files.
var paths = func() map[string][]string {
	out := map[string][]string{}
	for _, p := range linkbio.Platforms {
		raw, err := files.ReadFile("icons/" + p + ".svg")
		if err != nil {
			panic(fmt.Sprintf("socialicons: no icon for %s", p))
		}
		d, err := pathData(raw)
		if err != nil {
			panic(fmt.Sprintf("socialicons: %s.svg: %v", p, err))
		}
		out[p] = d
	}
	return out
}()

// pathData returns the d attributes of an icon's paths, leaving out
// Tabler's invisible 24x24 frame (stroke="none"). Only path data is kept:
// whatever else a refreshed file might carry never reaches a page.
func pathData(raw []byte) ([]string, error) {
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "path" {
			continue
		}
		var d, stroke string
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "d":
				d = a.Value
			case "stroke":
				stroke = a.Value
			}
		}
		if d != "" && stroke != "none" {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no path")
	}
	return out, nil
}

// strokeAttrs are the presentation attributes of every icon.
const strokeAttrs = `fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"`

// Label returns the platform's name as people write it ("" if unknown).
func Label(platform string) string { return labels[platform] }

// SVG returns the platform's icon as an inline, decorative SVG element
// (the link around it carries the accessible name), or "" for a platform
// that has none.
func SVG(platform string) template.HTML {
	d, ok := paths[platform]
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false" ` + strokeAttrs + `>`)
	writePaths(&b, d)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // path data only, attribute-escaped
}

// Sprite returns every icon as a <symbol id="icon-PLATFORM"> of one SVG
// document, which the dashboard draws with <use>; it is written to
// pb_public/assets/social-icons.svg (TestSpriteFile keeps it current).
func Sprite() []byte {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg">` + "\n")
	for _, p := range linkbio.Platforms {
		b.WriteString(`<symbol id="icon-` + p + `" viewBox="0 0 24 24"><g ` + strokeAttrs + `>`)
		writePaths(&b, paths[p])
		b.WriteString("</g></symbol>\n")
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func writePaths(b *strings.Builder, d []string) {
	for _, p := range d {
		b.WriteString(`<path d="` + html.EscapeString(p) + `"/>`)
	}
}
