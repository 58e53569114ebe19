// Package imagecheck refuses decompression bombs: a small file can claim
// a huge picture (a 249 KB PNG of 16000 × 16000 took a server from 43 MB
// to 2.5 GB when its thumbnail was made), so an image's dimensions are read
// from its header with image.DecodeConfig, and a picture over MaxSide on a
// side or MaxPixels in all is refused before anything decodes it. It knows
// the formats PocketBase's thumbnails decode (JPEG, PNG, GIF, WebP, BMP,
// TIFF).
package imagecheck

import (
	"errors"
	"image"
	_ "image/gif" // every format a thumbnail or a preview may decode
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// The largest picture accepted (SECURITY.md: 4096 × 4096, 16 megapixels).
const (
	MaxSide   = 4096
	MaxPixels = 16_000_000
)

// ErrTooLarge is the error of a picture over the limits.
var ErrTooLarge = errors.New("image over 4096 × 4096 pixels or 16 megapixels")

// Check reads the header of r: ErrTooLarge for a picture over the limits,
// nil for one within them and for anything that is no image of a known
// format (other rules, such as a field's MIME types, judge those). Only
// the header is read.
func Check(r io.Reader) error {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return nil
	}
	if !Fits(cfg.Width, cfg.Height) {
		return ErrTooLarge
	}
	return nil
}

// Fits reports whether a picture of width × height is within the limits.
func Fits(width, height int) bool {
	return width <= MaxSide && height <= MaxSide && int64(width)*int64(height) <= MaxPixels
}
