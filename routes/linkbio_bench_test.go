package routes_test

import (
	"context"
	"linkbase/stores"
	"net/http"
	"testing"
)

// BenchmarkProfilePageCached measures GET /{username} answered from the
// cache, view counting included.
func BenchmarkProfilePageCached(b *testing.B) {
	app := annWithLinks(b)
	defer app.Cleanup()
	h := bioHandler(b, app)
	bioRequest(h, http.MethodGet, "/ann", nil)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res := bioRequest(h, http.MethodGet, "/ann", nil); res.status != http.StatusOK {
				b.Fatal(res.status)
			}
		}
	})
}

// BenchmarkClick measures GET /l/{id}: one indexed read and a buffered
// count; the flush afterwards shows what a batch write costs.
func BenchmarkClick(b *testing.B) {
	b.Setenv("LINKBASE_COUNTER_FLUSH_INTERVAL", "1h")
	app := annWithLinks(b)
	defer app.Cleanup()
	h := bioHandler(b, app)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res := bioRequest(h, http.MethodGet, "/l/"+linkID("first"), nil); res.status != http.StatusFound {
				b.Fatal(res.status)
			}
		}
	})
	b.StopTimer()
	if err := stores.Of(app).Links.FlushHits(context.Background()); err != nil {
		b.Fatal(err)
	}
}
