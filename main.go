// Command linkbase is the Linkbase backend: PocketBase embedded as a library,
// with Linkbase's schema, hooks and routes.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"linkbase/hooks"
	_ "linkbase/migrations"
	"linkbase/routes"
	"linkbase/stores"
)

func main() {
	app := newApp()

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangGo,
		Dir:          "migrations",
	})

	s := stores.New(app, stores.Options{Terminal: os.Stdout})
	hooks.Register(app, s)
	routes.Register(app, s)
	registerStartup(app)

	if err := start(app); err != nil {
		log.Fatal(err)
	}
}
