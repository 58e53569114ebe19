// Package testutil builds Linkbase test apps: PocketBase's TestApp with
// Linkbase's migrations, hooks and routes, cloned from a data folder that
// was migrated once per test binary, so each test starts from a fresh
// database in milliseconds.
package testutil

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"

	"linkbase/hooks"
	_ "linkbase/migrations"
	"linkbase/routes"
	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
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
	if err := lowerPasswordCost(app); err != nil {
		return 0, err
	}
	if err := app.ResetBootstrapState(); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// lowerPasswordCost makes bcrypt cheap in tests (cost 4 instead of 10), so
// that suites hashing hundreds of passwords stay fast, also under -race. A
// test about hashing work can raise it again.
func lowerPasswordCost(app core.App) error {
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		return err
	}
	users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost = bcrypt.MinCost
	return app.Save(users)
}

// NewApp returns a fresh, migrated test app with Linkbase's hooks and
// routes registered; it is cleaned up when the test ends.
func NewApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app := Factory(t)
	t.Cleanup(app.Cleanup)
	return app
}

// NewAppAt is NewApp with every store reading the time from clock.
func NewAppAt(t testing.TB, clock state.Clock) *tests.TestApp {
	t.Helper()
	app := FactoryAt(clock)(t)
	t.Cleanup(app.Cleanup)
	return app
}

// Factory is NewApp in the shape of tests.ApiScenario.TestAppFactory. The
// scenario cleans the app up itself.
func Factory(t testing.TB) *tests.TestApp {
	t.Helper()
	return FactoryAt(nil)(t)
}

// FactoryAt is Factory with every store reading the time from clock (the
// real time when nil).
func FactoryAt(clock state.Clock) func(t testing.TB) *tests.TestApp {
	return FactoryWith(stores.Options{Clock: clock})
}

// NewAppWith is NewApp with its stores built with opts.
func NewAppWith(t testing.TB, opts stores.Options) *tests.TestApp {
	t.Helper()
	app := FactoryWith(opts)(t)
	t.Cleanup(app.Cleanup)
	return app
}

// FactoryWith is Factory with the stores built with opts.
func FactoryWith(opts stores.Options) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		t.Helper()
		if templateDir == "" {
			t.Fatal("testutil.Main must run from the package's TestMain")
		}
		app, err := tests.NewTestApp(templateDir)
		if err != nil {
			t.Fatal(err)
		}
		s := stores.New(app, opts)
		hooks.Register(app, s)
		routes.Register(app, s)
		return app
	}
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

// SuperuserToken creates a superuser and returns its auth token.
func SuperuserToken(t testing.TB, app core.App) string {
	t.Helper()
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	admin := core.NewRecord(superusers)
	admin.SetEmail("admin@example.com")
	admin.SetPassword(Password)
	if err := app.Save(admin); err != nil {
		t.Fatal(err)
	}
	return Token(t, admin)
}

// Output is a writer that is safe for concurrent writes and read back by
// the test: what a started binary or a middleware prints.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String is everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// Handler returns app's full HTTP handler (PocketBase's router with every
// middleware and route), for tests that send many requests, concurrently or
// from a fuzzer, to one app. binds may add test middlewares to the router.
func Handler(t testing.TB, app *tests.TestApp, binds ...func(*core.ServeEvent)) http.Handler {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var mux http.Handler
	event := &core.ServeEvent{App: app, Router: router}
	err = app.OnServe().Trigger(event, func(e *core.ServeEvent) error {
		e.InstallerFunc = nil
		for _, bind := range binds {
			bind(e)
		}
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

// RelaxRateLimits turns the rate limiter off, as an admin may do in the
// dashboard, for tests that send bursts from one address.
func RelaxRateLimits(t testing.TB, app core.App) {
	t.Helper()
	settings := app.Settings()
	settings.RateLimits.Enabled = false
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
}

// FindUser loads a user by username, failing the test if there is none.
func FindUser(t testing.TB, app core.App, username string) *core.Record {
	t.Helper()
	user, err := app.FindFirstRecordByData(schema.Users, schema.UserUsername, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return user
}

// QueryInt reads one integer (a count, a sum) with a bound query.
func QueryInt(t testing.TB, app core.App, query string, params dbx.Params) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
