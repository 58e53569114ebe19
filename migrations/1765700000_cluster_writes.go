package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// cluster_writes records the id of every write a cluster replica handed
// the primary (a batch of counts), in the transaction that applied it, so
// that a batch sent again (its answer was lost, the replica retried) is
// never applied twice. A plain table, not a collection: nobody reads it
// through the API. Rows older than a day are dropped as new ones come.
func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS {{cluster_writes}} (
			[[id]] TEXT PRIMARY KEY NOT NULL,
			[[applied]] TEXT NOT NULL
		)`).Execute()
		if err != nil {
			return err
		}
		_, err = app.DB().NewQuery("CREATE INDEX IF NOT EXISTS idx_cluster_writes_applied ON {{cluster_writes}} ([[applied]])").Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery("DROP TABLE IF EXISTS {{cluster_writes}}").Execute()
		return err
	})
}
