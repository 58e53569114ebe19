package linkstore_test

import (
	"bytes"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"linkbase/state"
)

// TestQRIsDrawnOnce: a QR code is the text's, drawn once (a public
// route's flood costs a lookup, not a drawing per request) and kept
// through a replica's cache clears, since the same text always draws the
// same image.
func TestQRIsDrawnOnce(t *testing.T) {
	_, links, _ := annWithLinks(t, nil)
	want, err := qrcode.Encode("http://localhost:8090/ann", qrcode.Medium, 512)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		got, err := links.QR("http://localhost:8090/ann")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("QR: %d bytes, %v; want the text's code", len(got), err)
		}
		state.ClearCaches()
	}
	other, err := links.QR("http://localhost:8090/bob")
	if err != nil || bytes.Equal(other, want) {
		t.Fatalf("another text's QR: %v, same image %v", err, bytes.Equal(other, want))
	}
	for _, st := range links.CacheStats() {
		if st.Name == "qr_codes" && (st.Misses != 2 || st.Hits != 2) {
			t.Fatalf("qr_codes: %d misses, %d hits; want 2 and 2", st.Misses, st.Hits)
		}
	}
}
