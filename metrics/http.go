package metrics

import (
	"crypto/subtle"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TokenEnv names the bearer token that lets a scraper without a superuser
// account read GET /api/metrics. Unset, only superusers can.
const TokenEnv = "LINKBASE_METRICS_TOKEN"

// instrumentPriority runs the instruments before every other middleware
// but PocketBase's www redirect, so rate-limited, forwarded and failed
// requests are counted and timed too.
const instrumentPriority = apis.DefaultWWWRedirectMiddlewarePriority + 1

// Bind binds the request instruments to app's router whenever it serves.
// Call it once per app, before app.Start.
func Bind(app core.App) {
	s := of(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "linkbaseMetrics",
			Priority: instrumentPriority,
			Func:     s.instrument,
		})
		return se.Next()
	})
}

func (s *state) instrument(e *core.RequestEvent) error {
	start := time.Now()
	err := e.Next()
	route := routeLabel(e.Request)
	s.requests.WithLabelValues(route, e.Request.Method, strconv.Itoa(status(e, err))).Inc()
	s.latency.WithLabelValues(route, e.Request.Method).Observe(time.Since(start).Seconds())
	return err
}

// routeLabel is the matched route pattern without its method ("/l/{link_id}"),
// never the raw path, so the number of series stays bounded whatever paths
// clients send.
func routeLabel(r *http.Request) string {
	p := r.Pattern
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	if p == "" {
		return "unmatched"
	}
	return p
}

// status is what the client gets: the status written, or the one PocketBase
// will write for err (500 for an error that is not an API error).
func status(e *core.RequestEvent, err error) int {
	if st := e.Status(); st != 0 {
		return st
	}
	if err == nil {
		return http.StatusOK
	}
	if apiErr, ok := err.(*router.ApiError); ok {
		return apiErr.Status
	}
	return http.StatusInternalServerError
}

// Handle answers GET /api/metrics in Prometheus's text format, to a superuser
// or to `Authorization: Bearer $LINKBASE_METRICS_TOKEN`; 401 otherwise.
func Handle(e *core.RequestEvent) error {
	if !e.HasSuperuserAuth() && !hasToken(e.Request) {
		return e.UnauthorizedError("The metrics need a superuser or the metrics token.", nil)
	}
	promhttp.HandlerFor(of(e.App).registry, promhttp.HandlerOpts{}).ServeHTTP(e.Response, e.Request)
	return nil
}

func hasToken(r *http.Request) bool {
	want := os.Getenv(TokenEnv)
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return want != "" && ok && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
