package testutil

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SQLLog records the SQL statements an app runs on its main database
// (both connection pools), with the bound values written in, for tests
// that count queries (N+1, cache hits that must not touch SQLite) or
// check their query plans.
type SQLLog struct {
	mu         sync.Mutex
	statements []string
}

// RecordSQL starts recording app's statements. Call it before the app
// serves any request: the log funcs are set without a lock.
func RecordSQL(t testing.TB, app core.App) *SQLLog {
	t.Helper()
	l := &SQLLog{}
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		db, ok := b.(*dbx.DB)
		if !ok {
			t.Fatalf("the app's database is a %T, not a *dbx.DB", b)
		}
		// Not restored afterwards: the app's background work may still read
		// them, and the app is thrown away with the test.
		db.QueryLogFunc = func(_ context.Context, _ time.Duration, sql string, _ *sql.Rows, _ error) { l.add(sql) }
		db.ExecLogFunc = func(_ context.Context, _ time.Duration, sql string, _ sql.Result, _ error) { l.add(sql) }
	}
	return l
}

func (l *SQLLog) add(sql string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statements = append(l.statements, strings.TrimSpace(sql))
}

// Take returns the statements recorded since the last Take, and forgets
// them.
func (l *SQLLog) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.statements
	l.statements = nil
	return s
}
