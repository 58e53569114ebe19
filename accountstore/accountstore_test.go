package accountstore_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/accountstore"
	"linkbase/schema"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

func TestLookupsIgnoreCase(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)

	for _, identity := range []string{"ann", "ANN", "ann@example.com", "Ann@Example.COM"} {
		user, err := accountstore.FindUserByIdentity(app, identity)
		if err != nil || user == nil || user.Id != ann.Id {
			t.Errorf("FindUserByIdentity(%q) = %v, %v", identity, user, err)
		}
	}
	for _, identity := range []string{"bob", "bob@example.com", "ann@example.co", "' OR 1=1 --"} {
		if user, err := accountstore.FindUserByIdentity(app, identity); err != nil || user != nil {
			t.Errorf("FindUserByIdentity(%q) = %v, %v; want none", identity, user, err)
		}
	}

	if id, err := accountstore.FindUserIDByEmail(app, "ANN@example.com"); err != nil || id != ann.Id {
		t.Errorf("FindUserIDByEmail = %q, %v", id, err)
	}
	if id, err := accountstore.FindUserIDByEmail(app, "nobody@example.com"); err != nil || id != "" {
		t.Errorf("FindUserIDByEmail of nobody = %q, %v", id, err)
	}

	for _, c := range []struct {
		field, value string
		want         bool
	}{
		{core.FieldNameEmail, "ANN@EXAMPLE.COM", true},
		{schema.UserUsername, "Ann", true},
		{core.FieldNameEmail, "bob@example.com", false},
		{schema.UserUsername, "bob", false},
	} {
		if got, err := accountstore.IsTaken(app, c.field, c.value); err != nil || got != c.want {
			t.Errorf("IsTaken(%s, %q) = %v, %v", c.field, c.value, got, err)
		}
	}
}

func TestPasswordsCheck(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	p := accountstore.NewPasswords(2, 0)
	check := func(user *core.Record, password string) bool {
		hashing, err := p.Admit(ann.Collection())
		if err != nil {
			t.Fatal(err)
		}
		ok, err := hashing.Check(user, password)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	if !check(ann, testutil.Password) {
		t.Error("the right password was refused")
	}
	for _, c := range []struct {
		name     string
		user     *core.Record
		password string
	}{
		{"wrong password", ann, "not-the-password-1"},
		{"no such user", nil, testutil.Password},
		{"stored password plus more (bcrypt's 72 bytes)", ann, testutil.Password + strings.Repeat("x", 80)},
	} {
		if check(c.user, c.password) {
			t.Errorf("%s: accepted", c.name)
		}
	}

	fresh, _ := app.FindRecordById(schema.Users, ann.Id)
	if err := p.Set(fresh, "quiet-river-5512"); err != nil {
		t.Fatal(err)
	}
	if err := app.Save(fresh); err != nil {
		t.Fatal(err)
	}
	if !check(fresh, "quiet-river-5512") || p.Slots().InUse() != 0 || p.Queued() != 0 || p.HashTime() <= 0 {
		t.Error("a password set in a slot does not check, or its slot or place was kept, or no hash was timed")
	}
}

// TestUniqueUsername: a derived name takes the first small number that
// is neither taken nor reserved.
func TestUniqueUsername(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	testutil.CreateUser(t, app, "ann2@example.com", "ann2", nil)
	for base, want := range map[string]string{"ann": "ann3", "bob": "bob", "admin": "admin2"} {
		got, err := accountstore.UniqueUsername(app, base)
		if err != nil || got != want {
			t.Errorf("UniqueUsername(%q) = %q, %v; want %q", base, got, err, want)
		}
	}
}
