package hooks_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"linkbase/referral"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestNewUserGetsReferralCode(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "Ann@Example.com", "Ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)

	for _, u := range []*core.Record{ann, bob} {
		code := u.GetString(schema.UserReferralCode)
		if len(code) < 8 || strings.Trim(code, referral.CodeAlphabet) != "" {
			t.Errorf("%s: referral code %q is not 8+ characters of the alphabet", u.GetString(schema.UserUsername), code)
		}
	}
	if ann.GetString(schema.UserReferralCode) == bob.GetString(schema.UserReferralCode) {
		t.Error("two users got the same referral code")
	}
	if ann.Email() != "ann@example.com" || ann.GetString(schema.UserUsername) != "ann" {
		t.Errorf("identity not normalised: %q %q", ann.Email(), ann.GetString(schema.UserUsername))
	}
}

func TestEmailIndexIgnoresCase(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	// Below the hooks, straight into SQLite: the index itself must refuse.
	_, err := app.DB().NewQuery("UPDATE users SET email = 'ANN@EXAMPLE.COM' WHERE username = 'ann'").Execute()
	if err != nil {
		t.Fatalf("updating the same row must work: %v", err)
	}
	testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
	_, err = app.DB().NewQuery("UPDATE users SET email = 'Ann@Example.Com' WHERE username = 'bob'").Execute()
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("want a UNIQUE failure for the same email in another case, got %v", err)
	}
	_, err = app.DB().NewQuery("UPDATE users SET username = 'ANN' WHERE username = 'bob'").Execute()
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("want a UNIQUE failure for the same username in another case, got %v", err)
	}
}

func TestReferredUserGetsPendingReferral(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	bob := testutil.CreateUser(t, app, "bob@example.com", "bob", map[string]any{schema.UserReferredBy: ann.Id})

	row, err := app.FindFirstRecordByFilter(schema.Referrals, "referred_user = {:id}", dbx.Params{"id": bob.Id})
	if err != nil {
		t.Fatal(err)
	}
	if row.GetString(schema.ReferralReferrer) != ann.Id ||
		row.GetString(schema.ReferralStatus) != schema.StatusPending ||
		row.GetString(schema.ReferralCodeUsed) != ann.GetString(schema.UserReferralCode) {
		t.Fatalf("unexpected referral row %v", row.PublicExport())
	}
}

func TestUserRulesHoldOutsideTheAPI(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann.lee@gmail.com", "ann", nil)
	off := testutil.CreateUser(t, app, "off@example.com", "off", map[string]any{schema.UserDisabled: true})
	users, _ := app.FindCollectionByNameOrId(schema.Users)

	for _, c := range []struct {
		name, field, code string
		set               func(r *core.Record)
	}{
		{"self-referral by gmail alias", schema.UserReferredBy, "referral_self", func(r *core.Record) {
			r.SetEmail("annlee+2@googlemail.com")
			r.Set(schema.UserReferredBy, ann.Id)
		}},
		{"disabled referrer", schema.UserReferredBy, "referral_expired", func(r *core.Record) {
			r.Set(schema.UserReferredBy, off.Id)
		}},
		{"common password", "password", "password_too_common", func(r *core.Record) {
			r.SetPassword("iloveyou123")
		}},
		{"reserved username", schema.UserUsername, "username_reserved", func(r *core.Record) {
			r.Set(schema.UserUsername, "dashboard")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := core.NewRecord(users)
			r.SetEmail("new@example.com")
			r.Set(schema.UserUsername, "newbie")
			r.SetPassword(testutil.Password)
			c.set(r)
			err := app.Save(r)
			var errs validation.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want field errors, got %v", err)
			}
			var fe validation.Error
			if !errors.As(errs[c.field], &fe) || fe.Code() != c.code {
				t.Fatalf("want %s on %s, got %v", c.code, c.field, errs)
			}
			if n, _ := app.CountRecords(schema.Users, dbx.HashExp{"email": "new@example.com"}); n != 0 {
				t.Fatal("the refused user was stored")
			}
		})
	}
}

func TestThemeValidation(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	cases := []struct {
		name  string
		theme string
		ok    bool
	}{
		{"documented theme", `{"background":"#000","text":"#ffffff","button_style":"pill","font":"mono"}`, true},
		{"empty theme", `{}`, true},
		{"css injection", `{"background":"#000;}</style><script>"}`, false},
		{"unknown key", `{"wallpaper":"cats.png"}`, false},
		{"unknown font", `{"font":"papyrus"}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ann.Set(schema.UserTheme, c.theme)
			err := app.Save(ann)
			if c.ok && err != nil {
				t.Fatalf("Save() = %v", err)
			}
			if !c.ok && fieldCode(err, schema.UserTheme) != "theme_invalid" {
				t.Fatalf("Save() = %v, want theme_invalid", err)
			}
		})
	}
}

func TestAvatarLimits(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	users, _ := app.FindCollectionByNameOrId(schema.Users)
	field, _ := users.Fields.GetByName(schema.UserAvatar).(*core.FileField)
	if field == nil || field.MaxSize != 2<<20 || len(field.Thumbs) == 0 || slices.Contains(field.MimeTypes, "image/svg+xml") {
		t.Fatalf("avatar field = %+v", field)
	}

	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	huge := append(append([]byte{}, png...), make([]byte, 2<<20)...)
	cases := []struct {
		name string
		data []byte
		file string
		ok   bool
	}{
		{"small png", png, "me.png", true},
		{"svg with a script", svg, "me.svg", false},
		{"png over 2 MiB", huge, "big.png", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := filesystem.NewFileFromBytes(c.data, c.file)
			if err != nil {
				t.Fatal(err)
			}
			ann.Set(schema.UserAvatar, f)
			err = app.Save(ann)
			if c.ok != (err == nil) {
				t.Fatalf("Save() = %v, want ok=%v", err, c.ok)
			}
			if !c.ok && fieldCode(err, schema.UserAvatar) == "" {
				t.Fatalf("Save() = %v, want an avatar field error", err)
			}
		})
	}
}
