package routes_test

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"linkbase/schema"
	"linkbase/testutil"
)

// onePixelPNG is a valid 1×1 PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// TestUploadsGoToS3 stores an avatar with PocketBase's S3 setting on, as
// every node of a cluster must (pb_data/storage is per node), against an
// S3-compatible server (gofakes3, in memory, for tests only): the file is
// in the bucket, not on the node's disk, and is served from there.
func TestUploadsGoToS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("linkbase"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3.Close()

	app := testutil.NewApp(t)
	settings := app.Settings()
	settings.S3.Enabled = true
	settings.S3.Bucket = "linkbase"
	settings.S3.Region = "us-east-1"
	settings.S3.Endpoint = s3.URL
	settings.S3.AccessKey = "test-access-key"
	settings.S3.Secret = "test-secret-key"
	settings.S3.ForcePathStyle = true
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}

	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	f, err := filesystem.NewFileFromBytes(onePixelPNG, "me.png")
	if err != nil {
		t.Fatal(err)
	}
	ann.Set(schema.UserAvatar, f)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	name := ann.GetString(schema.UserAvatar)
	key := ann.BaseFilesPath() + "/" + name

	obj, err := backend.GetObject("linkbase", key, nil)
	if err != nil {
		t.Fatalf("the avatar is not in the bucket at %s: %v", key, err)
	}
	stored, _ := io.ReadAll(obj.Contents)
	obj.Contents.Close()
	if !bytes.Equal(stored, onePixelPNG) {
		t.Fatal("the bucket holds other bytes than the upload")
	}
	if _, err := os.Stat(filepath.Join(app.DataDir(), "storage", key)); !os.IsNotExist(err) {
		t.Fatalf("the avatar is on the node's disk too (%v)", err)
	}

	w := testutil.Send(testutil.Handler(t, app), "GET", "/api/files/"+key, "", nil)
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), onePixelPNG) {
		t.Fatalf("download: %d, %d bytes", w.Code, w.Body.Len())
	}
}
