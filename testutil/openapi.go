package testutil

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"linkbase/apidoc"
)

// APIDoc is the OpenAPI description of the custom endpoints, loaded and
// validated with github.com/getkin/kin-openapi, to check real answers
// against.
type APIDoc struct {
	Doc    *openapi3.T
	router routers.Router
}

// LoadAPIDoc loads apidoc's document, failing the test if it is not a
// valid OpenAPI document.
func LoadAPIDoc(t testing.TB) *APIDoc {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apidoc.Raw())
	if err != nil {
		t.Fatalf("loading openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	doc.Servers = nil // match requests to any host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &APIDoc{Doc: doc, router: router}
}

// Has reports whether the document describes method on path (a route
// pattern such as /api/profiles/{username}).
func (d *APIDoc) Has(method, path string) bool {
	item := d.Doc.Paths.Find(path)
	return item != nil && item.GetOperation(strings.ToUpper(method)) != nil
}

// Check validates an answer (and, with checkRequest, its request) against
// the document: the route and status must be described, and a JSON body
// must match the status's schema.
func (d *APIDoc) Check(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, resBody []byte, checkRequest bool) {
	t.Helper()
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s is not in openapi.json: %v", req.Method, req.URL.Path, err)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	input := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	ctx := context.Background()
	if checkRequest {
		if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
			t.Errorf("%s %s: the request does not match openapi.json: %v", req.Method, req.URL.Path, err)
		}
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		opts.ExcludeResponseBody = true
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts,
	})
	if err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, resBody)
	}
}

// RoutesOf lists the routes registered on a PocketBase router (a
// *router.Router or *router.RouterGroup) as "METHOD /path", sorted. The
// router keeps its tree unexported; reflection reads it without changing
// anything.
func RoutesOf(router any) []string {
	var out []string
	var walk func(group reflect.Value, prefix string)
	walk = func(group reflect.Value, prefix string) {
		prefix += group.FieldByName("Prefix").String()
		children := group.FieldByName("children")
		for i := range children.Len() {
			child := children.Index(i).Elem().Elem()
			if m := child.FieldByName("Method"); m.IsValid() {
				out = append(out, strings.TrimSpace(m.String()+" "+prefix+child.FieldByName("Path").String()))
				continue
			}
			walk(child, prefix)
		}
	}
	v := reflect.ValueOf(router).Elem()
	if g := v.FieldByName("RouterGroup"); g.IsValid() {
		v = g.Elem()
	}
	walk(v, "")
	sort.Strings(out)
	return out
}
