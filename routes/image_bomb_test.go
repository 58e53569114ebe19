package routes_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// upload is a multipart body with one file of field name, as PNG.
func upload(t *testing.T, field, filename string, data []byte, fields map[string]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+filename+`"`)
	h.Set("Content-Type", "image/png")
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return b.String(), w.FormDataContentType()
}

// TestImageBombsAreRefusedOnUpload: issue 12's 16000 × 16000 PNG of about
// 250 KB (256 MB of pixels; its thumbnail took a server from 43 MB to
// 2.5 GB) is refused with a field error before it is stored, as avatar
// through the collection API, and in a file field of any collection; a
// normal avatar is stored and its thumbnail served.
func TestImageBombsAreRefusedOnUpload(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	auth := map[string]string{"Authorization": testutil.Token(t, ann)}
	h := testutil.Handler(t, app)
	bomb := testutil.PNGBomb(t, 16000, 16000)
	if len(bomb) > 300<<10 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}

	send := func(method, url, field string, data []byte, fields map[string]string, headers map[string]string) (int, string) {
		body, contentType := upload(t, field, "me.png", data, fields)
		hs := map[string]string{"Content-Type": contentType}
		for k, v := range headers {
			hs[k] = v
		}
		rec := testutil.Send(h, method, url, body, hs)
		return rec.Code, rec.Body.String()
	}

	code, body := send(http.MethodPatch, "/api/collections/users/records/"+ann.Id, schema.UserAvatar, bomb, nil, auth)
	if code != http.StatusBadRequest || !strings.Contains(body, `"avatar":{"code":"image_too_large"`) {
		t.Fatalf("the bomb as avatar: %d %s", code, body)
	}
	if got := testutil.FindUser(t, app, "ann").GetString(schema.UserAvatar); got != "" {
		t.Fatalf("the bomb was stored as %q", got)
	}

	// Any collection's file field, whatever its MIME types: a superuser's
	// collection made later.
	docs := core.NewBaseCollection("docs")
	docs.Fields.Add(&core.FileField{Name: "scan", MaxSelect: 1, MaxSize: 5 << 20})
	if err := app.Save(docs); err != nil {
		t.Fatal(err)
	}
	admin := map[string]string{"Authorization": testutil.SuperuserToken(t, app)}
	code, body = send(http.MethodPost, "/api/collections/docs/records", "scan", bomb, nil, admin)
	if code != http.StatusBadRequest || !strings.Contains(body, `"scan":{"code":"image_too_large"`) {
		t.Fatalf("the bomb in another collection: %d %s", code, body)
	}

	// A picture within the limits is stored, and its thumbnail made.
	var normal bytes.Buffer
	if err := png.Encode(&normal, image.NewGray(image.Rect(0, 0, 600, 400))); err != nil {
		t.Fatal(err)
	}
	code, body = send(http.MethodPatch, "/api/collections/users/records/"+ann.Id, schema.UserAvatar, normal.Bytes(), map[string]string{"bio": "hi"}, auth)
	if code != http.StatusOK {
		t.Fatalf("a 600 × 400 avatar: %d %s", code, body)
	}
	name := testutil.FindUser(t, app, "ann").GetString(schema.UserAvatar)
	if rec := testutil.Send(h, http.MethodGet, "/api/files/users/"+ann.Id+"/"+name+"?thumb=100x100", "", nil); rec.Code != http.StatusOK {
		t.Fatalf("its thumbnail: %d", rec.Code)
	}
}
