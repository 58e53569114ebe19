// Command linkbase is the Linkbase backend: PocketBase embedded as a library,
// with Linkbase's schema, hooks and routes.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/hook"

	"linkbase/cluster"
	"linkbase/hooks"
	_ "linkbase/migrations"
	pbpublic "linkbase/pb_public"
	"linkbase/routes"
	"linkbase/stores"
)

func main() {
	app := newApp()

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangGo,
		Dir:          "migrations",
	})

	s := stores.New(app, stores.Options{Terminal: os.Stdout, Writes: cluster.Writes(app)})
	hooks.Register(app, s)
	routes.Register(app, s)
	registerStartup(app)

	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			if !e.Router.HasRoute(http.MethodGet, "/{path...}") {
				e.Router.GET("/{path...}", apis.Static(pbpublic.FS(), false))
			}
			return e.Next()
		},
		Priority: 999, // after every other route
	})

	if err := start(app); err != nil {
		log.Fatal(err)
	}
}
