package cluster

import (
	"fmt"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// migrationHold keeps PocketBase from running migrations while this node is
// a replica. PocketBase runs them from fixed places (Bootstrap runs the
// system ones, serve every one) and records each in data.db, a write a
// replica cannot make (LiteFS answers "disk I/O error (778)"), so a replica
// empties the process's migration lists and a promoted node puts them back.
// The lists are PocketBase's package variables: one app per process.
type migrationHold struct {
	mu           sync.Mutex
	held         bool
	system, apps core.MigrationsList
}

func (h *migrationHold) hold() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.held {
		return
	}
	h.held = true
	h.system, h.apps = core.SystemMigrations, core.AppMigrations
	core.SystemMigrations, core.AppMigrations = core.MigrationsList{}, core.MigrationsList{}
}

func (h *migrationHold) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.held {
		return
	}
	h.held = false
	core.SystemMigrations, core.AppMigrations = h.system, h.apps
}

// held returns the migrations a replica holds back, system ones first.
func (h *migrationHold) lists() []core.MigrationsList {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.held {
		return nil
	}
	return []core.MigrationsList{h.system, h.apps}
}

// applyLocalMigrations prepares a replica's own files from the migrations
// the primary has recorded: a migration with a reapply condition that holds
// here (PocketBase's auxiliary.db tables, on a fresh replica) runs again,
// unrecorded; a migration the primary has not applied yet stops the start,
// since this binary expects a schema the database does not have.
func applyLocalMigrations(app core.App, lists ...core.MigrationsList) error {
	for _, list := range lists {
		runner := core.NewMigrationsRunner(app, list)
		for _, m := range list.Items() {
			var applied int
			err := app.DB().Select("count(*)").From(core.DefaultMigrationsTable).
				Where(dbx.HashExp{"file": m.File}).Row(&applied)
			if err != nil {
				return fmt.Errorf("cluster: reading the primary's migrations: %w", err)
			}
			if applied == 0 {
				return fmt.Errorf("cluster: migration %s is not applied on the primary yet: start (or upgrade) the primary first", m.File)
			}
			if m.ReapplyCondition == nil || m.Up == nil {
				continue
			}
			again, err := m.ReapplyCondition(app, runner, m.File)
			if err != nil {
				return err
			}
			if again {
				if err := m.Up(app); err != nil {
					return fmt.Errorf("cluster: local migration %s: %w", m.File, err)
				}
			}
		}
	}
	return nil
}
