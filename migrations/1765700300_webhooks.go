package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"linkbase/schema"
	"linkbase/webhook"
)

// Outgoing webhooks (issue 13), superusers only: webhooks (where to send
// which events, and the signing secret), webhook_outbox (one message to
// one webhook, written in the transaction of the change it reports, until
// delivered or given up) and webhook_deliveries (one row per attempt).
func init() {
	m.Register(func(app core.App) error {
		hooks := core.NewBaseCollection(schema.Webhooks)
		hooks.Fields.Add(
			&core.TextField{Name: schema.WebhookURL, Required: true, Max: webhook.MaxURLLength},
			&core.TextField{Name: schema.WebhookSecret, Max: 200},
			&core.SelectField{Name: schema.WebhookEvents, Required: true, MaxSelect: len(webhook.Events), Values: webhook.Events},
			&core.BoolField{Name: schema.WebhookEnabled},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(hooks); err != nil {
			return err
		}

		outbox := core.NewBaseCollection(schema.WebhookOutbox)
		outbox.Fields.Add(
			&core.RelationField{Name: schema.OutboxWebhook, CollectionId: hooks.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: schema.OutboxMessageID, Required: true, Max: 64},
			&core.TextField{Name: schema.OutboxType, Required: true, Max: 64},
			&core.TextField{Name: schema.OutboxPayload, Required: true},
			&core.SelectField{Name: schema.OutboxStatus, Required: true, MaxSelect: 1,
				Values: []string{schema.OutboxPending, schema.OutboxDelivered, schema.OutboxFailed}},
			&core.NumberField{Name: schema.OutboxAttempts, OnlyInt: true},
			&core.DateField{Name: schema.OutboxNextAttempt},
			&core.TextField{Name: schema.OutboxLastError, Max: 500},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		outbox.AddIndex("idx_webhook_outbox_due", false, "`status`, `next_attempt_at`", "")
		outbox.AddIndex("idx_webhook_outbox_message", true, "`message_id`, `webhook`", "")
		outbox.AddIndex("idx_webhook_outbox_created", false, "`created`", "")
		if err := app.Save(outbox); err != nil {
			return err
		}

		deliveries := core.NewBaseCollection(schema.WebhookDeliveries)
		deliveries.Fields.Add(
			&core.RelationField{Name: schema.OutboxWebhook, CollectionId: hooks.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: schema.DeliveryOutbox, CollectionId: outbox.Id, MaxSelect: 1, CascadeDelete: true},
			&core.TextField{Name: schema.OutboxMessageID, Required: true, Max: 64},
			&core.TextField{Name: schema.OutboxType, Required: true, Max: 64},
			&core.NumberField{Name: schema.DeliveryAttempt, OnlyInt: true},
			&core.NumberField{Name: schema.DeliveryStatusCode, OnlyInt: true},
			&core.TextField{Name: schema.DeliveryError, Max: 500},
			&core.NumberField{Name: schema.DeliveryDurationMS, OnlyInt: true},
			&core.BoolField{Name: schema.DeliverySuccess},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		deliveries.AddIndex("idx_webhook_deliveries_outbox", false, "`outbox`", "")
		deliveries.AddIndex("idx_webhook_deliveries_created", false, "`created`", "")
		return app.Save(deliveries)
	}, func(app core.App) error {
		for _, name := range []string{schema.WebhookDeliveries, schema.WebhookOutbox, schema.Webhooks} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			if err := app.Delete(c); err != nil {
				return err
			}
		}
		return nil
	})
}
