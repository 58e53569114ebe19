package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestCheckHealth(t *testing.T) {
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
		healthy bool
	}{
		{"healthy", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"message":"API is healthy.","code":200,"data":{}}`))
		}, true},
		{"unavailable", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, false},
		{"another server on the port", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html>hello</html>"))
		}, false},
		{"a health body with another code", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"code":500}`))
		}, false},
		{"no answer within the timeout", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			err := checkHealth(context.Background(), srv.URL+"/api/health", 200*time.Millisecond)
			if (err == nil) != c.healthy {
				t.Errorf("healthy %v, want %v (%v)", err == nil, c.healthy, err)
			}
		})
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8090":   "http://127.0.0.1:8090/api/health",
		"0.0.0.0:8090":     "http://127.0.0.1:8090/api/health",
		":8090":            "http://127.0.0.1:8090/api/health",
		"[::]:8090":        "http://[::1]:8090/api/health",
		"[::1]:9000":       "http://[::1]:9000/api/health",
		"links.local:8090": "http://links.local:8090/api/health",
		"8090":             "",
	} {
		got, err := healthURL(addr)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
