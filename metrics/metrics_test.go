package metrics

import (
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/prometheus/client_golang/prometheus"
)

func TestRouteLabelIsThePatternNeverThePath(t *testing.T) {
	cases := []struct{ pattern, want string }{
		{"GET /l/{link_id}", "/l/{link_id}"},
		{"POST /api/register", "/api/register"},
		{"/api/health", "/api/health"},
		{"", "unmatched"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/l/abc123?utm=x", nil)
		r.Pattern = c.pattern
		if got := routeLabel(r); got != c.want {
			t.Errorf("pattern %q: label %q, want %q", c.pattern, got, c.want)
		}
	}
}

func TestRegisterRefusesAClashingName(t *testing.T) {
	app, err := tests.NewTestApp()
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	gauge := func() prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: "linkbase_test_queue", Help: "A test figure."})
	}
	if err := Register(app, gauge()); err != nil {
		t.Fatal(err)
	}
	if err := Register(app, gauge()); err == nil {
		t.Fatal("a second collector with the same name was accepted")
	}
	families, err := Gatherer(app).Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range families {
		found = found || f.GetName() == "linkbase_test_queue"
	}
	if !found {
		t.Fatal("the registered figure is not gathered")
	}
}
