// Package ogimage draws a profile's link preview, the og:image of its page:
// a 1200×630 PNG with the avatar (or the initial), the name, the username
// and the bio, in the profile's theme colours. The same card always gives
// the same bytes, so a hash of them can serve as its ETag.
//
// Text is set in the Go fonts (golang.org/x/image/font/gofont, BSD licence,
// GOFONT-LICENSE.txt), wrapped and cut with an ellipsis to fit; characters
// the fonts lack (emoji, scripts beyond Latin, Greek and Cyrillic) are left
// out rather than drawn as boxes.
package ogimage

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"linkbase/linkbio"
)

// The preview's size, as Facebook, LinkedIn and X recommend; the page
// announces it in its og:image tags.
const (
	Width  = linkbio.PreviewWidth
	Height = linkbio.PreviewHeight
)

// Card is what a preview shows.
type Card struct {
	Name     string // the display name, or "" to show the username
	Username string
	Bio      string
	Avatar   []byte        // the avatar file (JPEG, PNG, GIF or WebP), or nil
	Theme    linkbio.Theme // the page's theme, resolved by Render
}

// Layout, in pixels.
const (
	margin       = 90
	avatarSize   = 300
	textLeft     = margin + avatarSize + 80
	textWidth    = Width - textLeft - margin
	barHeight    = 16
	nameSize     = 72
	usernameSize = 38
	bioSize      = 34
)

// faces are the font faces at the card's sizes. A font.Face keeps a glyph
// cache that is not safe for concurrent use, so drawing is serialised;
// a card takes a few milliseconds and is cached by its caller.
var faces = sync.OnceValues(func() (map[string]font.Face, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	out := map[string]font.Face{}
	for name, spec := range map[string]struct {
		f    *opentype.Font
		size float64
	}{"name": {bold, nameSize}, "initial": {bold, 150}, "username": {regular, usernameSize}, "bio": {regular, bioSize}} {
		face, err := opentype.NewFace(spec.f, &opentype.FaceOptions{Size: spec.size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, err
		}
		out[name] = face
	}
	return out, nil
})

var drawing sync.Mutex

// Render draws the card as PNG. An avatar that is missing, too large or
// not an image is replaced by the name's initial on a button-coloured disc,
// so every profile has a preview.
func Render(c Card) ([]byte, error) {
	f, err := faces()
	if err != nil {
		return nil, err
	}
	theme := c.Theme.WithDefaults()
	bg, fg, accent := parseColour(theme.Background), parseColour(theme.Text), parseColour(theme.Accent)
	button, buttonText := parseColour(theme.Button), parseColour(theme.ButtonText)

	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, Height-barHeight, Width, Height), image.NewUniform(button), image.Point{}, draw.Src)

	drawing.Lock()
	defer drawing.Unlock()

	name := drawable(f["name"], c.Name)
	username := drawable(f["username"], "@"+c.Username)
	if name == "" {
		name = drawable(f["name"], c.Username)
	}

	disc := image.Rect(margin, (Height-avatarSize)/2, margin+avatarSize, (Height+avatarSize)/2)
	if avatar, err := DecodeAvatar(c.Avatar); err == nil {
		drawAvatar(img, disc, avatar)
	} else {
		drawCircle(img, disc, button)
		initial, _ := utf8.DecodeRuneInString(name)
		if initial != utf8.RuneError {
			drawCentred(img, f["initial"], strings.ToUpper(string(initial)), disc, buttonText)
		}
	}

	// The text column: name (up to 2 lines), username, bio (up to 4
	// lines), centred vertically as a block beside the avatar.
	nameLines := wrap(f["name"], name, fixed.I(textWidth), 2)
	userLines := wrap(f["username"], username, fixed.I(textWidth), 1)
	bioLines := wrap(f["bio"], drawable(f["bio"], c.Bio), fixed.I(textWidth), 4)
	blocks := []struct {
		face   font.Face
		lines  []string
		colour color.Color
		gap    int
	}{
		{f["name"], nameLines, fg, 0}, {f["username"], userLines, accent, 14}, {f["bio"], bioLines, fg, 30},
	}
	height := 0
	for _, b := range blocks {
		if len(b.lines) > 0 {
			height += b.gap + len(b.lines)*lineHeight(b.face)
		}
	}
	y := (Height - barHeight - height) / 2
	for _, b := range blocks {
		if len(b.lines) == 0 {
			continue
		}
		y += b.gap
		for _, line := range b.lines {
			y += lineHeight(b.face)
			d := font.Drawer{Dst: img, Src: image.NewUniform(b.colour), Face: b.face,
				Dot: fixed.P(textLeft, y-b.face.Metrics().Descent.Ceil())}
			d.DrawString(line)
		}
	}

	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func lineHeight(face font.Face) int {
	m := face.Metrics()
	return (m.Ascent + m.Descent).Ceil() + 4
}

// drawCentred draws one line of text centred in r.
func drawCentred(img draw.Image, face font.Face, text string, r image.Rectangle, c color.Color) {
	m := face.Metrics()
	width := font.MeasureString(face, text).Ceil()
	x := r.Min.X + (r.Dx()-width)/2
	y := r.Min.Y + (r.Dy()+m.Ascent.Ceil()-m.Descent.Ceil())/2
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(text)
}

// parseColour reads a theme colour.
func parseColour(hex string) color.RGBA {
	r, g, b := linkbio.RGB(hex)
	return color.RGBA{R: r, G: g, B: b, A: 255}
}
