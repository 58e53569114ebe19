package ogimage

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	xdraw "golang.org/x/image/draw"

	"linkbase/imagecheck" // also registers every avatar format's decoder
)

// MaxAvatarBytes is the largest avatar file this package decodes; its
// dimensions are held to imagecheck's limits, read from the header before
// any pixel is decoded (a small file can claim a huge picture).
const MaxAvatarBytes = 8 << 20

// Errors about avatars.
var (
	ErrNoAvatar       = errors.New("no avatar")
	ErrAvatarTooLarge = errors.New("avatar too large")
	ErrAvatarInvalid  = errors.New("avatar is not a JPEG, PNG, GIF or WebP image")
)

// DecodeAvatar decodes an avatar file within the limits above.
func DecodeAvatar(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, ErrNoAvatar
	}
	if len(data) > MaxAvatarBytes {
		return nil, ErrAvatarTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrAvatarInvalid
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrAvatarInvalid
	}
	if !imagecheck.Fits(cfg.Width, cfg.Height) {
		return nil, ErrAvatarTooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrAvatarInvalid
	}
	return img, nil
}

// drawAvatar draws the centre square of avatar, scaled into r (avatarSize
// square), as a disc.
func drawAvatar(dst draw.Image, r image.Rectangle, avatar image.Image) {
	b := avatar.Bounds()
	side := min(b.Dx(), b.Dy())
	src := image.Rect(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2, 0, 0)
	src.Max = src.Min.Add(image.Pt(side, side))
	square := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	xdraw.CatmullRom.Scale(square, square.Bounds(), avatar, src, draw.Src, nil)
	draw.DrawMask(dst, r, square, image.Point{}, disc(), image.Point{}, draw.Over)
}

// drawCircle fills the disc inscribed in r (avatarSize square).
func drawCircle(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, disc(), image.Point{}, draw.Over)
}

// disc is the mask of the avatar's disc, computed once.
var disc = sync.OnceValue(func() *image.Alpha { return discMask(avatarSize) })

// discMask is an anti-aliased disc of the given diameter: each pixel's
// coverage fades over the one pixel the edge crosses.
func discMask(diameter int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, diameter, diameter))
	radius := float64(diameter) / 2
	for y := 0; y < diameter; y++ {
		for x := 0; x < diameter; x++ {
			d := math.Hypot(float64(x)+0.5-radius, float64(y)+0.5-radius)
			cover := math.Max(0, math.Min(1, radius-d+0.5))
			m.SetAlpha(x, y, color.Alpha{A: uint8(cover * 255)})
		}
	}
	return m
}
