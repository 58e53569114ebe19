package cluster

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/testutil"
)

func TestMigrationHoldEmptiesAndRestoresPocketBasesLists(t *testing.T) {
	system, apps := len(core.SystemMigrations.Items()), len(core.AppMigrations.Items())
	if system == 0 || apps == 0 {
		t.Fatalf("the test needs registered migrations: %d system, %d app", system, apps)
	}
	var h migrationHold
	h.hold()
	h.hold() // twice: the originals are kept, not the empty lists
	if len(core.SystemMigrations.Items()) != 0 || len(core.AppMigrations.Items()) != 0 {
		t.Fatal("a replica's lists must be empty")
	}
	held := h.lists()
	if len(held) != 2 || len(held[0].Items()) != system || len(held[1].Items()) != apps {
		t.Fatalf("held %d lists", len(held))
	}
	h.release()
	h.release()
	if len(core.SystemMigrations.Items()) != system || len(core.AppMigrations.Items()) != apps {
		t.Fatal("the lists were not restored")
	}
	if h.lists() != nil {
		t.Fatal("nothing is held after release")
	}
}

func TestApplyLocalMigrations(t *testing.T) {
	app := testutil.NewApp(t)
	ran := map[string]int{}
	migration := func(file string, reapply *bool) *core.Migration {
		m := &core.Migration{File: file, Up: func(core.App) error { ran[file]++; return nil }}
		if reapply != nil {
			m.ReapplyCondition = func(core.App, *core.MigrationsRunner, string) (bool, error) { return *reapply, nil }
		}
		return m
	}
	record := func(files ...string) {
		for _, f := range files {
			if _, err := app.DB().Insert(core.DefaultMigrationsTable, dbx.Params{"file": f, "applied": 1}).Execute(); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func() int {
		var n int
		if err := app.DB().Select("count(*)").From(core.DefaultMigrationsTable).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	yes, no := true, false

	var list core.MigrationsList
	list.Add(migration("1_local_tables.go", &yes))
	list.Add(migration("2_shared_schema.go", nil))
	list.Add(migration("3_satisfied_here.go", &no))
	record("1_local_tables.go", "2_shared_schema.go", "3_satisfied_here.go")
	before := count()

	if err := applyLocalMigrations(app, list); err != nil {
		t.Fatal(err)
	}
	if ran["1_local_tables.go"] != 1 || ran["2_shared_schema.go"] != 0 || ran["3_satisfied_here.go"] != 0 {
		t.Fatalf("ran %v: only the migration whose condition holds here runs again", ran)
	}
	if count() != before {
		t.Fatal("a replica must record nothing in data.db")
	}

	list.Add(migration("4_newer_than_the_primary.go", nil))
	err := applyLocalMigrations(app, list)
	if err == nil || !strings.Contains(err.Error(), "4_newer_than_the_primary.go") || !strings.Contains(err.Error(), "primary") {
		t.Fatalf("error %v, want one naming the migration the primary lacks", err)
	}
}
