package linkstore_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"testing"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"linkbase/linkstore"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestPreviewIsDrawnOnceAndFollowsTheUser(t *testing.T) {
	app, links, ann := annWithLinks(t, nil)
	first, err := links.Preview("ann")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(first.PNG))
	if err != nil || cfg.Width != 1200 || cfg.Height != 630 || first.ETag == "" {
		t.Fatalf("preview %dx%d, ETag %q, %v", cfg.Width, cfg.Height, first.ETag, err)
	}
	if again, _ := links.Preview("ANN"); again != first {
		t.Fatal("the preview was drawn again rather than served from the cache")
	}

	// A link does not change the card; the user's fields and avatar do.
	testutil.SeedLink(t, app, ann, "more", 9, nil)
	if again, _ := links.Preview("ann"); again != first {
		t.Fatal("a new link dropped the preview")
	}
	ann.Set(schema.UserDisplayName, "Ann Renamed")
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	renamed, err := links.Preview("ann")
	if err != nil || renamed.ETag == first.ETag {
		t.Fatalf("after a rename: ETag %q (was %q), %v", renamed.ETag, first.ETag, err)
	}
	var avatar bytes.Buffer
	if err := png.Encode(&avatar, red(64)); err != nil {
		t.Fatal(err)
	}
	f, err := filesystem.NewFileFromBytes(avatar.Bytes(), "me.png")
	if err != nil {
		t.Fatal(err)
	}
	ann.Set(schema.UserAvatar, f)
	if err := app.Save(ann); err != nil {
		t.Fatal(err)
	}
	withAvatar, err := links.Preview("ann")
	if err != nil || withAvatar.ETag == renamed.ETag {
		t.Fatalf("after an avatar upload: %v, ETag unchanged: %v", err, withAvatar.ETag == renamed.ETag)
	}

	testutil.CreateUser(t, app, "dan@example.com", "dan", map[string]any{schema.UserDisabled: true})
	for _, name := range []string{"nobody", "dan", "<x>", ""} {
		if _, err := links.Preview(name); !errors.Is(err, linkstore.ErrNotFound) {
			t.Errorf("Preview(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

// red is a red square of side n.
func red(n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{R: 200, A: 255}), image.Point{}, draw.Src)
	return img
}
