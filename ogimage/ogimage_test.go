package ogimage

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"linkbase/imagecheck"
	"linkbase/linkbio"
)

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func solid(w, h int, c color.Color) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	return img
}

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || format != "png" {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Fatalf("size %v, want %dx%d", b, Width, Height)
	}
	return img
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

var ann = Card{Name: "Ann Lee", Username: "ann", Bio: "Pottery, tea and long walks. New glazes every Friday."}

func TestRender(t *testing.T) {
	ann := ann
	ann.Theme = linkbio.Theme{Background: "#0f172a"}
	data, err := Render(ann)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, data)
	if got := rgbaAt(img, 5, 5); got != (color.RGBA{0x0f, 0x17, 0x2a, 255}) {
		t.Errorf("background %v, want the theme's #0f172a", got)
	}
	// Resolved theme of a dark background: light buttons, so the disc
	// behind the initial and the bottom bar are light.
	if got := rgbaAt(img, Width/2, Height-2); got != (color.RGBA{0xf8, 0xfa, 0xfc, 255}) {
		t.Errorf("bar %v, want the resolved button colour #f8fafc", got)
	}
	if got := rgbaAt(img, margin+avatarSize/2, (Height-avatarSize)/2+8); got.R < 0xf0 {
		t.Errorf("disc %v, want the button colour", got)
	}
	if !inked(img, textLeft, 150, Width-margin, 480, color.RGBA{0x0f, 0x17, 0x2a, 255}) {
		t.Error("no text drawn in the text column")
	}
}

// inked reports whether some pixel of the area differs from bg.
func inked(img image.Image, x0, y0, x1, y1 int, bg color.RGBA) bool {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if rgbaAt(img, x, y) != bg {
				return true
			}
		}
	}
	return false
}

func TestRenderIsDeterministic(t *testing.T) {
	card := ann
	card.Avatar = encodePNG(t, solid(64, 48, color.RGBA{200, 30, 30, 255}))
	first, err := Render(card)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again, err := Render(card)
			if err != nil || !bytes.Equal(first, again) {
				t.Error("the same card gave different bytes")
			}
		}()
	}
	wg.Wait()
	card.Bio += "!"
	if other, _ := Render(card); bytes.Equal(first, other) {
		t.Error("a different bio gave the same bytes")
	}
}

func TestAvatar(t *testing.T) {
	red := color.RGBA{200, 30, 30, 255}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, solid(120, 90, red), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	centre := func(img image.Image) color.RGBA { return rgbaAt(img, margin+avatarSize/2, Height/2) }
	for name, data := range map[string][]byte{"png": encodePNG(t, solid(64, 48, red)), "jpeg": jpg.Bytes()} {
		card := ann
		card.Avatar = data
		out, err := Render(card)
		if err != nil {
			t.Fatal(err)
		}
		if got := centre(decode(t, out)); absDiff(got.R, red.R) > 8 || absDiff(got.G, red.G) > 8 {
			t.Errorf("%s avatar: centre %v, want about %v", name, got, red)
		}
	}

	// Refused before any pixel is decoded: the header's size is enough.
	tooWide := encodePNG(t, image.NewGray(image.Rect(0, 0, imagecheck.MaxSide+1, 1)))
	tooMany := encodePNG(t, image.NewGray(image.Rect(0, 0, 4096, 4000)))
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"none":            {nil, ErrNoAvatar},
		"too wide":        {tooWide, ErrAvatarTooLarge},
		"too many pixels": {tooMany, ErrAvatarTooLarge},
		"too many bytes":  {make([]byte, MaxAvatarBytes+1), ErrAvatarTooLarge},
		"not an image":    {[]byte("<svg onload=alert(1)>"), ErrAvatarInvalid},
		"a truncated png": {encodePNG(t, solid(64, 64, red))[:80], ErrAvatarInvalid},
	} {
		if _, err := DecodeAvatar(c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: DecodeAvatar = %v, want %v", name, err, c.want)
		}
		card := ann
		card.Avatar = c.data
		out, err := Render(card)
		if err != nil {
			t.Fatalf("%s: Render = %v, want the initial instead", name, err)
		}
		if got := centre(decode(t, out)); got == red {
			t.Errorf("%s: the avatar was drawn", name)
		}
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestHardText: long, right-to-left, emoji, control characters, empty
// names and bios never panic and always give a full-size PNG.
func TestHardText(t *testing.T) {
	cards := map[string]Card{
		"long":             {Name: strings.Repeat("Bartholomew ", 20), Username: "bart", Bio: strings.Repeat("word ", 300)},
		"one long word":    {Name: strings.Repeat("W", 200), Username: strings.Repeat("u", 30), Bio: strings.Repeat("x", 2000)},
		"right to left":    {Name: "مريم الحسن", Username: "maryam", Bio: "שלום עולם — مرحبا بالعالم"},
		"emoji":            {Name: "🦊🦊🦊", Username: "fox", Bio: "👩🏽‍💻 coder ✨ 🇫🇷"},
		"controls":         {Name: "a\x00b\tc\nd\u202ee", Username: "ctl", Bio: "\r\n\r\n"},
		"empty":            {Username: "x"},
		"invalid utf-8":    {Name: "\xff\xfe", Username: "bad", Bio: "\xc3\x28"},
		"greek, cyrillic":  {Name: "Ελένη Жанна", Username: "eleni", Bio: "Καλημέρα! Привет!"},
		"every colour set": {Name: "Ann", Username: "ann", Theme: linkbio.Theme{Background: "#fff7ed", Text: "#431407", Button: "#c2410c", ButtonText: "#ffffff", Accent: "#9a3412"}},
	}
	for name, card := range cards {
		t.Run(name, func(t *testing.T) {
			out, err := Render(card)
			if err != nil {
				t.Fatal(err)
			}
			decode(t, out)
		})
	}
}

func TestWrap(t *testing.T) {
	f, err := faces()
	if err != nil {
		t.Fatal(err)
	}
	face := f["bio"]
	width := fixed.I(textWidth)
	lines := wrap(face, strings.Repeat("pottery and tea ", 60), width, 4)
	if len(lines) != 4 || !strings.HasSuffix(lines[3], ellipsis) {
		t.Fatalf("wrap = %q, want 4 lines ending in an ellipsis", lines)
	}
	for _, l := range lines {
		if font.MeasureString(face, l) > width {
			t.Errorf("line %q is wider than the column", l)
		}
	}
	if got := wrap(face, "Short bio.", width, 4); len(got) != 1 || got[0] != "Short bio." {
		t.Errorf("wrap(short) = %q", got)
	}
	if got := wrap(face, strings.Repeat("x", 300), width, 2); len(got) != 2 || !strings.HasSuffix(got[1], ellipsis) {
		t.Errorf("wrap(one long word) = %q", got)
	}
	if got := drawable(face, " a\u00a0\u00a0b 🦊 c\n"); got != "a b c" {
		t.Errorf("drawable = %q", got)
	}
}

func BenchmarkRender(b *testing.B) {
	card := ann
	card.Avatar = encodePNG(b, solid(400, 400, color.RGBA{200, 30, 30, 255}))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Render(card); err != nil {
			b.Fatal(err)
		}
	}
}
