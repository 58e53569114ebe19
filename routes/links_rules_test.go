package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"linkbase/testutil"
)

// TestLinksCollectionRules drives the PocketBase collection API, as the SDK
// does: only the owner reads or writes a link, and neither clicks nor owner
// can be forged.
func TestLinksCollectionRules(t *testing.T) {
	var annToken, bobToken, annID, bobID, annLink string
	twoUsers := func(t testing.TB) *tests.TestApp {
		app := testutil.Factory(t)
		ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
		bob := testutil.CreateUser(t, app, "bob@example.com", "bob", nil)
		link := seedLink(t, app, ann, "mine", 0, nil)
		annToken, bobToken, annID, bobID, annLink = testutil.Token(t, ann), testutil.Token(t, bob), ann.Id, bob.Id, link.Id
		return app
	}
	const base = "/api/collections/links/records"
	scenarios := []struct {
		tests.ApiScenario
		as   *string
		url  func() string
		body func() string
	}{
		{ApiScenario: tests.ApiScenario{Name: "owner creates a link without owner-managed fields", Method: http.MethodPost,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"title":"Shop"`, `"enabled":true`, `"clicks":0`, `"position":1`}},
			as: &annToken, url: func() string { return base },
			body: func() string { return `{"owner":"` + annID + `","title":"Shop","url":"https://shop.example"}` }},
		{ApiScenario: tests.ApiScenario{Name: "creating a link with forged clicks", Method: http.MethodPost,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":400`}},
			as: &annToken, url: func() string { return base },
			body: func() string {
				return `{"owner":"` + annID + `","title":"Shop","url":"https://shop.example","clicks":1000}`
			}},
		{ApiScenario: tests.ApiScenario{Name: "creating a link for someone else", Method: http.MethodPost,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":400`}},
			as: &bobToken, url: func() string { return base },
			body: func() string { return `{"owner":"` + annID + `","title":"Spam","url":"https://spam.example"}` }},
		{ApiScenario: tests.ApiScenario{Name: "creating a link with a javascript url", Method: http.MethodPost,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"url":{"code":"url_scheme"`}},
			as: &annToken, url: func() string { return base },
			body: func() string { return `{"owner":"` + annID + `","title":"x","url":"javascript:alert(1)"}` }},
		{ApiScenario: tests.ApiScenario{Name: "anonymous create", Method: http.MethodPost,
			ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":400`}},
			url:  func() string { return base },
			body: func() string { return `{"owner":"` + annID + `","title":"x","url":"https://x.example"}` }},
		{ApiScenario: tests.ApiScenario{Name: "someone else lists links", Method: http.MethodGet,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"totalItems":0`}},
			as: &bobToken, url: func() string { return base }},
		{ApiScenario: tests.ApiScenario{Name: "someone else views a link", Method: http.MethodGet,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			as: &bobToken, url: func() string { return base + "/" + annLink }},
		{ApiScenario: tests.ApiScenario{Name: "owner views a link", Method: http.MethodGet,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"title":"mine"`}},
			as: &annToken, url: func() string { return base + "/" + annLink }},
		{ApiScenario: tests.ApiScenario{Name: "someone else updates a link", Method: http.MethodPatch,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			as: &bobToken, url: func() string { return base + "/" + annLink }, body: func() string { return `{"title":"pwned"}` }},
		{ApiScenario: tests.ApiScenario{Name: "someone else deletes a link", Method: http.MethodDelete,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			as: &bobToken, url: func() string { return base + "/" + annLink }},
		{ApiScenario: tests.ApiScenario{Name: "owner forges clicks on update", Method: http.MethodPatch,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			as: &annToken, url: func() string { return base + "/" + annLink }, body: func() string { return `{"clicks":999}` }},
		{ApiScenario: tests.ApiScenario{Name: "owner gives the link away", Method: http.MethodPatch,
			ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			as: &annToken, url: func() string { return base + "/" + annLink }, body: func() string { return `{"owner":"` + bobID + `"}` }},
		{ApiScenario: tests.ApiScenario{Name: "owner updates the title", Method: http.MethodPatch,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"title":"renamed"`}},
			as: &annToken, url: func() string { return base + "/" + annLink }, body: func() string { return `{"title":"renamed"}` }},
		{ApiScenario: tests.ApiScenario{Name: "owner deletes a link", Method: http.MethodDelete,
			ExpectedStatus: http.StatusNoContent},
			as: &annToken, url: func() string { return base + "/" + annLink }},
	}
	for _, s := range scenarios {
		s.TestAppFactory = twoUsers
		runLinkScenario(t, s.ApiScenario, s.as, s.url, s.body)
	}
}

// runLinkScenario runs s once its app exists, with the URL, body and
// Authorization header that depend on the app's ids.
func runLinkScenario(t *testing.T, s tests.ApiScenario, as *string, url func() string, body func() string) {
	t.Helper()
	factory := s.TestAppFactory
	s.TestAppFactory = nil
	t.Run(s.Name, func(t *testing.T) {
		app := factory(t)
		s.TestAppFactory = func(testing.TB) *tests.TestApp { return app }
		s.URL = url()
		if body != nil {
			s.Body = strings.NewReader(body())
		}
		if as != nil {
			s.Headers = map[string]string{"Authorization": *as}
		}
		s.Test(t)
	})
}
