package routes

import (
	"net/http/httptest"
	"testing"
)

func TestWantsHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true,
		"application/json": false,
		"*/*":              false,
		"":                 false,
	} {
		r := httptest.NewRequest("GET", "/nosuchuser", nil)
		r.Header.Set("Accept", accept)
		if got := wantsHTML(r); got != want {
			t.Errorf("wantsHTML(%q) = %v, want %v", accept, got, want)
		}
	}
}
