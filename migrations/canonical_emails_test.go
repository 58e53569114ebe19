package migrations_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/testutil"
)

// TestCanonicalEmailsMigration runs the migration over addresses stored
// before emails had one canonical form: each is rewritten to it and keeps
// its sessions, except one whose canonical form another account already
// holds, which stays as it was and is reported (nothing merged or lost).
func TestCanonicalEmailsMigration(t *testing.T) {
	app := testutil.NewApp(t)
	mig := findMigration(t, "1765900000_canonical_emails.go")
	if err := mig.Down(app); err != nil {
		t.Fatal(err)
	}
	stored := map[string]string{ // username -> the address as an older version stored it
		"ann":   "a@example.com",
		"ann2":  "a@example.com.",
		"bob":   "bob@Example.COM.",
		"cleo":  "cleo@bücher.de",
		"cleo2": "cleo@BÜCHER.de..",
	}
	users := map[string]*core.Record{}
	for _, name := range []string{"ann", "ann2", "bob", "cleo", "cleo2"} { // in order of creation
		users[name] = testutil.CreateUser(t, app, name+"@placeholder.example", name, nil)
		if _, err := app.DB().Update(schema.Users, dbx.Params{"email": stored[name]}, dbx.HashExp{"id": users[name].Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	bobToken := testutil.Token(t, users["bob"])

	if err := mig.Up(app); err != nil {
		t.Fatal(err)
	}

	for name, want := range map[string]string{
		"ann":   "a@example.com",
		"ann2":  "a@example.com.", // a@example.com is ann's: left for an admin
		"bob":   "bob@example.com",
		"cleo":  "cleo@xn--bcher-kva.de",
		"cleo2": "cleo@BÜCHER.de..", // canonicalised cleo's first
	} {
		if got := testutil.FindUser(t, app, name).Email(); got != want {
			t.Errorf("%s's email = %q, want %q", name, got, want)
		}
	}
	if _, err := app.FindAuthRecordByToken(bobToken, core.TokenTypeAuth); err != nil {
		t.Errorf("bob's session ended with the rewrite: %v", err)
	}

	rows, err := app.FindAllRecords(schema.EmailDuplicates)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows {
		var addrs []string
		if err := json.Unmarshal([]byte(r.GetString(schema.DuplicateStored)), &addrs); err != nil {
			t.Fatal(err)
		}
		got[r.GetString(schema.DuplicateEmail)] = append(r.GetStringSlice(schema.DuplicateUsers), addrs...)
	}
	want := map[string][]string{
		"a@example.com":         {users["ann"].Id, users["ann2"].Id, "a@example.com", "a@example.com."},
		"cleo@xn--bcher-kva.de": {users["cleo"].Id, users["cleo2"].Id, "cleo@xn--bcher-kva.de", "cleo@BÜCHER.de.."},
	}
	if len(got) != len(want) {
		t.Fatalf("email_duplicates = %v, want %v", got, want)
	}
	for email, w := range want {
		if !slices.Equal(got[email], w) {
			t.Errorf("email_duplicates[%s] = %v, want %v", email, got[email], w)
		}
	}
	// The account left for an admin can still be edited meanwhile.
	ann2 := testutil.FindUser(t, app, "ann2")
	ann2.Set(schema.UserDisplayName, "Ann Two")
	if err := app.Save(ann2); err != nil || testutil.FindUser(t, app, "ann2").Email() != "a@example.com." {
		t.Errorf("editing the duplicate account: %v", err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM users", nil); n != 5 {
		t.Errorf("%d users after the migration, want all 5", n)
	}
}

func findMigration(t *testing.T, file string) *core.Migration {
	t.Helper()
	for _, item := range core.AppMigrations.Items() {
		if item.File == file {
			return item
		}
	}
	t.Fatalf("migration %s not registered", file)
	return nil
}
