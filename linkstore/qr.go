package linkstore

import (
	qrcode "github.com/skip2/go-qrcode"
)

// qrCacheSize bounds the QR codes kept (PNGs of a few KiB each).
const qrCacheSize = 1000

// QR returns the PNG QR code (512 px, medium error correction) of text: a
// profile's URL (GET /api/profiles/{username}/qr.png, public) or a
// referral link. It is drawn once and then served from a cache keyed by
// the text itself; the same text always draws the same image, so no write
// makes one stale.
func (s *Store) QR(text string) ([]byte, error) {
	return s.qrs.Get(text, func() ([]byte, error) { return qrcode.Encode(text, qrcode.Medium, 512) })
}
