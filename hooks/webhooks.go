package hooks

import (
	"crypto/rand"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/webhook"
)

// bindWebhooks holds the webhooks collection (superusers only, edited in
// the dashboard) to what a delivery can use: an http(s) URL that is not
// an internal address (unless LINKBASE_WEBHOOK_ALLOW_PRIVATE), and a
// secret that can sign, drawn when left empty.
func bindWebhooks(app core.App, s *stores.Set) {
	app.OnRecordValidate(schema.Webhooks).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if err := webhook.CheckURL(e.Record.GetString(schema.WebhookURL), s.Webhooks.AllowPrivate()); err != nil {
			errs[schema.WebhookURL] = apperr.Field(err)
		}
		if e.Record.GetString(schema.WebhookSecret) == "" {
			secret, err := webhook.NewSecret(rand.Reader)
			if err != nil {
				return err
			}
			e.Record.Set(schema.WebhookSecret, secret)
		}
		if _, err := webhook.Key(e.Record.GetString(schema.WebhookSecret)); err != nil {
			errs[schema.WebhookSecret] = apperr.Field(err)
		}
		return mergeFieldErrors(errs, e.Next())
	})
}
