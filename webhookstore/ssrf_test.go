package webhookstore_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/state"
	"linkbase/stores"
	"linkbase/testutil"
	"linkbase/webhook"
)

// TestInternalTargetsAreRefused: without LINKBASE_WEBHOOK_ALLOW_PRIVATE a
// literal internal address is refused when the webhook is saved, and a
// name that resolves to one (localhost here; any name rebound by DNS) is
// refused when the delivery connects, as is an internal address written
// into the table behind the hooks' back. Nothing reaches the receiver.
func TestInternalTargetsAreRefused(t *testing.T) {
	clock := state.NewManualClock(start)
	app := testutil.NewAppWith(t, stores.Options{Clock: clock.Now})
	s := stores.Of(app).Webhooks
	r := newReceiver(t, http.StatusOK)

	c, _ := app.FindCollectionByNameOrId(schema.Webhooks)
	for url, code := range map[string]string{
		r.URL:                               "url_private",
		"http://169.254.169.254/latest/":    "url_private",
		"http://[::1]:9/":                   "url_private",
		"http://10.0.0.7/":                  "url_private",
		"ftp://hooks.example.com/":          "url_invalid",
		"https://user:pw@hooks.example.com": "url_invalid",
	} {
		w := core.NewRecord(c)
		w.Load(map[string]any{schema.WebhookURL: url, schema.WebhookEvents: []string{webhook.UserCreated}, schema.WebhookEnabled: true})
		err := app.Save(w)
		var errs validation.Errors
		var fe validation.Error
		if !errors.As(err, &errs) || !errors.As(errs[schema.WebhookURL], &fe) || fe.Code() != code {
			t.Errorf("saving %s: %v, want %s", url, err, code)
		}
	}

	byName := strings.Replace(r.URL, "127.0.0.1", "localhost", 1)
	addWebhook(t, app, byName, "", webhook.UserCreated)
	hook := addWebhook(t, app, "https://hooks.example.com/", "", webhook.UserCreated)
	if _, err := app.DB().NewQuery("UPDATE webhooks SET url = 'http://10.255.255.1:81/' WHERE id = {:id}").
		Bind(map[string]any{"id": hook.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	deliver(t, s)
	if n := len(r.requests()); n != 0 {
		t.Fatalf("the receiver on the loopback got %d requests", n)
	}
	log := attempts(t, app)
	if len(log) != 2 {
		t.Fatalf("%d attempts logged, want 2", len(log))
	}
	for _, a := range log {
		if a.GetBool(schema.DeliverySuccess) || !strings.Contains(a.GetString(schema.DeliveryError), "refused") {
			t.Errorf("attempt: success %v, error %q", a.GetBool(schema.DeliverySuccess), a.GetString(schema.DeliveryError))
		}
	}
}

// TestRedirectsStayOnTheHost: a redirect within the webhook's host is
// followed; one to another host (another port is another host) is not:
// the attempt fails with the redirect's status and the other host never
// hears of it.
func TestRedirectsStayOnTheHost(t *testing.T) {
	app, s, _ := newApp(t)
	other := newReceiver(t, http.StatusOK)
	var sameHost *httptest.Server
	sameHost = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch req.URL.Path {
		case "/moved":
			http.Redirect(w, req, "/here", http.StatusPermanentRedirect)
		case "/away":
			http.Redirect(w, req, other.URL+"/stolen", http.StatusTemporaryRedirect)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	t.Cleanup(sameHost.Close)
	addWebhook(t, app, sameHost.URL+"/moved", "", webhook.UserCreated)
	addWebhook(t, app, sameHost.URL+"/away", "", webhook.UserCreated)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	deliver(t, s)

	if n := len(other.requests()); n != 0 {
		t.Fatalf("a redirect to another host was followed (%d requests)", n)
	}
	byURL := map[int]bool{}
	for _, a := range attempts(t, app) {
		byURL[a.GetInt(schema.DeliveryStatusCode)] = a.GetBool(schema.DeliverySuccess)
	}
	if ok, seen := byURL[http.StatusAccepted]; !seen || !ok {
		t.Errorf("the same-host redirect: %v", byURL)
	}
	if ok, seen := byURL[http.StatusTemporaryRedirect]; !seen || ok {
		t.Errorf("the other-host redirect: %v", byURL)
	}
}

func TestSecretsAreChecked(t *testing.T) {
	app, _, _ := newApp(t)
	c, _ := app.FindCollectionByNameOrId(schema.Webhooks)
	w := core.NewRecord(c)
	w.Load(map[string]any{schema.WebhookURL: "https://hooks.example.com/", schema.WebhookSecret: "whsec_short",
		schema.WebhookEvents: []string{webhook.UserCreated}})
	var errs validation.Errors
	var fe validation.Error
	if err := app.Save(w); !errors.As(err, &errs) || !errors.As(errs[schema.WebhookSecret], &fe) || fe.Code() != "secret_invalid" {
		t.Fatalf("a short secret: %v", err)
	}
	own := addWebhook(t, app, "https://hooks.example.com/", "an-own-secret-of-32-characters!!", webhook.UserCreated)
	if own.GetString(schema.WebhookSecret) != "an-own-secret-of-32-characters!!" {
		t.Fatal("an admin's own secret was replaced")
	}
}
