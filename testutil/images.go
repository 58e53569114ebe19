package testutil

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// PNGBomb returns a valid PNG of width × height black pixels (8-bit
// gray), the shape of a decompression-bomb upload: 16000 × 16000 is 256 MB
// of pixels in about 250 KB of file. The picture never exists in memory,
// and neither is it compressed whole (which takes seconds under the race
// detector): one block of rows is compressed by a fresh compressor and its
// output repeated, which is a valid deflate stream since each copy refers
// only to itself.
func PNGBomb(t testing.TB, width, height int) []byte {
	t.Helper()
	const rowsPerBlock = 64
	block := func(rows int) []byte {
		var b bytes.Buffer
		w, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		// Each row: filter byte "none", then the pixels; all zero.
		if _, err := w.Write(make([]byte, rows*(1+width))); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil { // ends byte-aligned, not final
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var idat bytes.Buffer
	idat.Write([]byte{0x78, 0xda}) // zlib header: deflate, best compression
	full := block(rowsPerBlock)
	for range height / rowsPerBlock {
		idat.Write(full)
	}
	if rest := height % rowsPerBlock; rest > 0 {
		idat.Write(block(rest))
	}
	idat.Write([]byte{0x03, 0x00}) // the final block, empty
	// Adler-32 of n zero bytes: a stays 1, b is n.
	n := uint32(height) * uint32(1+width) % 65521
	_ = binary.Write(&idat, binary.BigEndian, n<<16|1)

	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	header := make([]byte, 13)
	binary.BigEndian.PutUint32(header[0:], uint32(width))
	binary.BigEndian.PutUint32(header[4:], uint32(height))
	header[8] = 8 // bit depth; colour type 0 (gray), standard compression, filter and no interlace
	for _, chunk := range []struct {
		kind string
		data []byte
	}{{"IHDR", header}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(chunk.data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(chunk.kind))
		crc.Write(chunk.data)
		out.WriteString(chunk.kind)
		out.Write(chunk.data)
		_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	return out.Bytes()
}
