package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/osutils"
	"github.com/spf13/cobra"

	"linkbase/cluster"
	"linkbase/mail"
	"linkbase/proxywarn"
	"linkbase/refstore"
)

// installerLinkValidity is how long the superuser set-up link works, as
// long as PocketBase's own installer link.
const installerLinkValidity = 30 * time.Minute

// newApp is PocketBase with dev mode off unless --dev is given.
// pocketbase.New turns dev mode on whenever the binary runs from a
// temporary folder (its guess for `go run`), which floods the first screen
// with every SQL statement; its own start banner is replaced by Linkbase's.
// With LINKBASE_LITEFS_DIR set, the app is a cluster node on LiteFS.
func newApp() *pocketbase.PocketBase {
	return cluster.NewApp(pocketbase.Config{HideStartBanner: true})
}

// registerStartup binds what an operator sees and uses around `serve`:
// the start-up banner, the proxy warning and the healthcheck command.
func registerStartup(app *pocketbase.PocketBase) {
	registerStartBanner(app, os.Stdout)
	proxywarn.Register(app, os.Stderr)
	app.RootCmd.AddCommand(newHealthcheckCommand())
}

// start runs the command line. Commands that must not open the data folder
// (the health check, run every few seconds beside a live server) run
// through cobra alone: PocketBase's Start bootstraps the app, opening or
// creating pb_data, before it looks at the command.
func start(app *pocketbase.PocketBase) error {
	if c, _, err := app.RootCmd.Find(os.Args[1:]); err == nil && c.Annotations[standalone] != "" {
		return app.RootCmd.Execute()
	}
	return app.Start()
}

// standalone is the annotation of commands that start runs without
// bootstrapping the app.
const standalone = "linkbase.standalone"

// registerStartBanner prints, once the server listens, where everything
// is: the pages, the dashboard, the app URL the mails link to, where mail
// goes and, while no superuser exists, PocketBase's installer link. The
// installer is PocketBase's (the same short-lived link to the dashboard's
// set-up page); only its attempt to open a browser with xdg-open is left
// out, since a server's terminal is rarely on a desktop.
func registerStartBanner(app *pocketbase.PocketBase, out io.Writer) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Func: func(e *core.ServeEvent) error {
			base := serveURL(app.RootCmd, e.Server.Addr)
			printed := make(chan struct{})
			defer close(printed)
			// PocketBase calls the installer in a goroutine once the port
			// is bound, and only while there is no superuser; its link is
			// printed after the banner.
			e.InstallerFunc = func(_ core.App, installer *core.Record, _ string) error {
				token, err := installer.NewStaticAuthToken(installerLinkValidity)
				if err != nil {
					return err
				}
				<-printed
				printInstallerLink(out, base+"/_/#/pbinstall/"+token)
				return nil
			}
			if err := e.Next(); err != nil {
				return err
			}
			printBanner(out, e.App, base)
			return nil
		},
	})
}

func printBanner(out io.Writer, app core.App, base string) {
	settings := app.Settings()
	cyan := color.New(color.FgCyan).SprintFunc()
	hint := color.New(color.FgHiBlack).SprintFunc()

	lines := [][2]string{
		{"Pages", cyan(base+"/") + hint("  sign up, log in, /dashboard")},
		{"Dashboard", cyan(base+"/_/") + hint("  superusers: users, referrals, settings, logs")},
		{"API", cyan(base + "/api/")},
		{"App URL", cyan(settings.Meta.AppURL) + hint("  the address in every mailed and referral link (LINKBASE_APP_URL)")},
	}
	if settings.SMTP.Enabled {
		lines = append(lines, [2]string{"Mail", fmt.Sprintf("sent through %s:%d", settings.SMTP.Host, settings.SMTP.Port)})
	} else {
		outbox := displayPath(filepath.Join(app.DataDir(), mail.OutboxDir)) + string(filepath.Separator)
		lines = append(lines, [2]string{"Mail", "no SMTP set: each mail shows here (to, subject, link) and is an .eml file in " + cyan(outbox) +
			hint("  (Dashboard → Settings → Mail to send them)")})
	}
	if refstore.InLocalTrial(app) {
		lines = append(lines, [2]string{"Referrals", "local trial: sign-ups from this machine are not held as \"same IP\" (LINKBASE_LOCAL_TRIAL)"})
	}
	lines = append(lines, [2]string{"Logs", "Dashboard → Logs" + hint("  (--dev prints them here too, with every SQL statement)")})

	date := time.Now().Format("2006/01/02 15:04:05")
	color.New(color.Bold, color.FgGreen).Fprintf(out, "%s Linkbase is running at %s\n", date, cyan(base))
	for i, l := range lines {
		branch := "├─"
		if i == len(lines)-1 {
			branch = "└─"
		}
		fmt.Fprintf(out, "%s %-10s %s\n", branch, l[0]+":", l[1])
	}
}

func printInstallerLink(out io.Writer, link string) {
	color.New(color.FgMagenta).Fprintf(out, "\nNo superuser yet: create the first one at this link (valid %d minutes):\n",
		int(installerLinkValidity.Minutes()))
	color.New(color.Bold, color.FgCyan).Fprintln(out, link)
	color.New(color.FgHiBlack).Fprintf(out, "(or run: %s superuser upsert EMAIL PASSWORD)\n\n", commandName())
}

// serveURL is the base URL the server answers on, as PocketBase computes
// it for its own banner (https when serve was given --https or domain
// names), except that a wildcard address (0.0.0.0 in a container) is shown
// as loopback: browsers refuse to open 0.0.0.0.
func serveURL(root *cobra.Command, addr string) string {
	scheme, host := "http://", addr
	if serve, _, err := root.Find([]string{"serve"}); err == nil {
		https, _ := serve.PersistentFlags().GetString("https")
		domains := serve.Flags().Args()
		if https != "" || len(domains) > 0 {
			scheme = "https://"
			if len(domains) > 0 {
				host = domains[0]
			}
		}
	}
	if host == "" || strings.HasSuffix(host, ":http") || strings.HasSuffix(host, ":https") {
		host = "127.0.0.1"
	}
	if local, err := localAddr(host); err == nil {
		host = local
	}
	return scheme + host
}

// localAddr is a listen address (host:port) as a client on this machine
// reaches it: a wildcard or empty host becomes loopback.
func localAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port), nil
}

// displayPath shortens a path inside the working folder to a relative one.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// commandName is how the reader started this program, for the commands
// the banner suggests.
func commandName() string {
	if osutils.IsProbablyGoRun() {
		return "go run ."
	}
	return os.Args[0]
}
