package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/handoff"
	"linkbase/metrics"
	"linkbase/state"
)

// NewApp is pocketbase.NewWithConfig(config), made a cluster node when the
// environment turns clustering on (see Config): PocketBase's data.db is
// opened on the LiteFS mount and the node follows its role. A
// misconfiguration is reported by app.Start, before any database is opened.
func NewApp(config pocketbase.Config) *pocketbase.PocketBase {
	cfg, err := ConfigFromEnv()
	if errors.Is(err, ErrOff) {
		app := pocketbase.NewWithConfig(config)
		role := newRoleGauge()
		setRole(role, roleSingle)
		metrics.MustRegister(app, role)
		return app
	}
	var n *Node
	config.DBConnect = onMount(cfg.Mount, config.DBConnect, func() bool { return n != nil && n.IsPrimary() })
	app := pocketbase.NewWithConfig(config)
	n = register(app, cfg, err)
	return app
}

// onMount opens PocketBase's data.db on the LiteFS mount; every other
// database (auxiliary.db) stays in the local data folder, since the mount
// holds only replicated databases.
func onMount(mount string, connect core.DBConnectFunc, isPrimary func() bool) core.DBConnectFunc {
	return func(dbPath string) (*dbx.DB, error) {
		if filepath.Base(dbPath) != dataDBName {
			if connect == nil {
				return core.DefaultDBConnect(dbPath)
			}
			return connect(dbPath)
		}
		dbPath = filepath.Join(mount, dataDBName)
		if connect == nil && isPrimary() {
			return connectImmediate(dbPath)
		}
		if connect == nil {
			return core.DefaultDBConnect(dbPath)
		}
		return connect(dbPath)
	}
}

// connectImmediate is PocketBase's DefaultDBConnect (the same pragmas)
// with every transaction begun IMMEDIATE, for the primary's data.db (the
// databases are opened once the role is known; a replica's transactions
// only read, and LiteFS refuses it the write lock). On the primary another process
// writes data.db too (Litestream records its position in it), and a
// deferred transaction that read before that write cannot write after it:
// SQLite answers SQLITE_BUSY_SNAPSHOT (517) at once instead of waiting,
// which a burst of sign-ups turned into 500s. Begun immediate, a
// transaction takes the write lock first and waits its turn (busy_timeout).
func connectImmediate(dbPath string) (*dbx.DB, error) {
	return dbx.Open("sqlite", dbPath+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"+
		"&_pragma=journal_size_limit(200000000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"+
		"&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)")
}

// register makes app a node: its role is read before PocketBase opens the
// databases, a replica holds back migrations and cron jobs, the event
// stream is followed while serving, and writes a replica receives are
// forwarded. cfgErr, if any, fails the start-up.
func register(app core.App, cfg Config, cfgErr error) *Node {
	n := newNode(app, cfg)
	metrics.MustRegister(app, n.collectors()...)
	handoff.SetNode(app, n)
	n.bindRecordWrites(app)
	// The database changes under a replica: every cache of the kit goes
	// after each batch of replicated transactions (state.ClearCaches).
	n.Subscribe(func(Change) { state.ClearCaches() })

	app.OnBootstrap().Bind(&hook.Handler[*core.BootstrapEvent]{
		Id: "linkbaseCluster",
		// The innermost handler: its e.Next() is PocketBase's own
		// bootstrap, so a replica's local migrations run right after it,
		// before other hooks' follow-up work.
		Priority: 10000,
		Func: func(e *core.BootstrapEvent) error {
			if cfgErr != nil {
				return cfgErr
			}
			info, err := n.waitReady(context.Background())
			if err != nil {
				return err
			}
			n.setRole(info.IsPrimary, info.Primary.Hostname)
			if err := e.Next(); err != nil {
				return err
			}
			if n.IsPrimary() {
				return nil
			}
			if err := applyLocalMigrations(e.App, n.hold.lists()...); err != nil {
				return err
			}
			s, err := n.readStamps()
			n.mu.Lock()
			n.stamps = s
			n.mu.Unlock()
			return err
		},
	})

	var startOnce sync.Once
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "linkbaseCluster",
		// After PocketBase starts its cron (priority 999), so that a
		// replica can stop it.
		Priority: 1000,
		Func: func(e *core.ServeEvent) error {
			if !n.IsPrimary() {
				e.App.Cron().Stop()
				// PocketBase's installer link makes a superuser, a write:
				// the primary prints one for the whole cluster.
				e.InstallerFunc = nil
			}
			e.Router.Bind(n.forwarder())
			startOnce.Do(n.start)
			return e.Next()
		},
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		n.shutdown()
		return e.Next()
	})
	return n
}

// waitPoll paces the start-up's questions to LiteFS.
const waitPoll = 200 * time.Millisecond

// waitReady waits until LiteFS says this node is the primary, or knows
// the primary and holds a copy of data.db: before that, a replica would
// create an empty database PocketBase cannot write.
func (n *Node) waitReady(ctx context.Context) (litefsInfo, error) {
	if st, err := os.Stat(n.cfg.Mount); err != nil || !st.IsDir() {
		return litefsInfo{}, fmt.Errorf("cluster: %s=%q is not a directory (is LiteFS mounted?)", MountEnv, n.cfg.Mount)
	}
	deadline := time.Now().Add(n.cfg.Wait)
	for {
		info, err := n.litefs.info(ctx)
		switch {
		case err != nil:
		case info.IsPrimary:
			return info, nil
		case info.Primary.Hostname == "":
			err = errors.New("LiteFS knows no primary yet")
		default:
			if _, err = os.Stat(filepath.Join(n.cfg.Mount, dataDBName)); err == nil {
				return info, nil
			}
			err = errors.New("no copy of data.db replicated yet")
		}
		if time.Now().After(deadline) {
			return info, fmt.Errorf("cluster: LiteFS at %s not ready after %s: %w", n.cfg.API, n.cfg.Wait, err)
		}
		select {
		case <-ctx.Done():
			return info, ctx.Err()
		case <-time.After(waitPoll):
		}
	}
}
