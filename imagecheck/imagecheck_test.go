package imagecheck_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"linkbase/imagecheck"
	"linkbase/testutil"
)

// bomb is a PNG whose header claims width × height.
func bomb(t testing.TB, width, height int) []byte { return testutil.PNGBomb(t, width, height) }

func TestCheck(t *testing.T) {
	big := bomb(t, 16000, 16000)
	if len(big) > 300<<10 {
		t.Fatalf("the 16000 × 16000 PNG is %d bytes, meant to be small", len(big))
	}
	encode := func(enc func(*bytes.Buffer, image.Image) error, w, h int) []byte {
		var buf bytes.Buffer
		if err := enc(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	jpg := func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) }
	gf := func(b *bytes.Buffer, m image.Image) error { return gif.Encode(b, m, nil) }
	bm := func(b *bytes.Buffer, m image.Image) error { return bmp.Encode(b, m) }
	tf := func(b *bytes.Buffer, m image.Image) error { return tiff.Encode(b, m, nil) }

	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"16000 × 16000 PNG":      {big, imagecheck.ErrTooLarge},
		"4097 wide":              {bomb(t, imagecheck.MaxSide+1, 1), imagecheck.ErrTooLarge},
		"4097 high":              {bomb(t, 1, imagecheck.MaxSide+1), imagecheck.ErrTooLarge},
		"4096 × 4096 is 16.8 MP": {bomb(t, 4096, 4096), imagecheck.ErrTooLarge},
		"4096 × 3906 is 16 MP":   {bomb(t, 4096, 3906), nil},
		"a 400 × 400 avatar":     {bomb(t, 400, 400), nil},
		"a JPEG":                 {encode(jpg, 64, 48), nil},
		"a GIF over the side":    {encode(gf, imagecheck.MaxSide+1, 1), imagecheck.ErrTooLarge},
		"a BMP over the side":    {encode(bm, 1, imagecheck.MaxSide+1), imagecheck.ErrTooLarge},
		"a TIFF over the side":   {encode(tf, imagecheck.MaxSide+1, 1), imagecheck.ErrTooLarge},
		"no image":               {[]byte("%PDF-1.7 not a picture"), nil},
		"empty":                  {nil, nil},
		"a truncated header":     {big[:20], nil},
	} {
		if err := imagecheck.Check(bytes.NewReader(c.data)); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: Check = %v, want %v", name, err, c.want)
		}
	}
}

func BenchmarkCheckBomb(b *testing.B) {
	big := bomb(b, 16000, 16000)
	b.ReportAllocs()
	for b.Loop() {
		if imagecheck.Check(bytes.NewReader(big)) == nil {
			b.Fatal("accepted")
		}
	}
}

// TestBombIsARealPNG: the test bombs decode as the pictures they claim,
// so the refusals above are of real files.
func TestBombIsARealPNG(t *testing.T) {
	m, err := png.Decode(bytes.NewReader(bomb(t, 500, 130)))
	if err != nil || m.Bounds() != image.Rect(0, 0, 500, 130) || m.At(499, 129) != (color.Gray{}) {
		t.Fatalf("decoded %v, %v", m, err)
	}
}
