// Package testutil builds Linkbase test apps: PocketBase's TestApp with
// Linkbase's migrations, hooks and routes, cloned from a data folder that
// was migrated once per test binary, so each test starts from a fresh
// database in milliseconds.
package testutil

import (
	"fmt"
	"os"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"linkbase/hooks"
	_ "linkbase/migrations"
	"linkbase/routes"
	"linkbase/schema"
)

// Password is a password that passes the policy, for test users.
const Password = "lantern-orbit-7319"

var templateDir string

// Main migrates the template data folder, runs the package's tests and
// removes the folder. Call it from TestMain.
func Main(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testutil:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	empty, err := os.MkdirTemp("", "linkbase_empty_")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(empty)
	app, err := tests.NewTestApp(empty) // clones empty, then runs every migration
	if err != nil {
		return 0, err
	}
	templateDir = app.DataDir()
	defer os.RemoveAll(templateDir)
	if err := app.ResetBootstrapState(); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// NewApp returns a fresh, migrated test app with Linkbase's hooks and
// routes registered; it is cleaned up when the test ends.
func NewApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app := Factory(t)
	t.Cleanup(app.Cleanup)
	return app
}

// Factory is NewApp in the shape of tests.ApiScenario.TestAppFactory. The
// scenario cleans the app up itself.
func Factory(t testing.TB) *tests.TestApp {
	t.Helper()
	if templateDir == "" {
		t.Fatal("testutil.Main must run from the package's TestMain")
	}
	app, err := tests.NewTestApp(templateDir)
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	routes.Register(app)
	return app
}

// CreateUser saves a user with Password, through the same hooks as any
// other write. fields may set more values (e.g. "referred_by").
func CreateUser(t testing.TB, app core.App, email, username string, fields map[string]any) *core.Record {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	user := core.NewRecord(users)
	user.SetEmail(email)
	user.Set(schema.UserUsername, username)
	user.SetPassword(Password)
	for k, v := range fields {
		user.Set(k, v)
	}
	if err := app.Save(user); err != nil {
		t.Fatalf("creating user %s: %v", username, err)
	}
	return user
}

// Token returns a new auth token of user.
func Token(t testing.TB, user *core.Record) string {
	t.Helper()
	token, err := user.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}
