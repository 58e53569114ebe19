// Package migrations holds Linkbase's schema as PocketBase Go migrations,
// one concern each, registered in init(). A shipped migration is never
// edited; a change is a new migration.
package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/account"
	"linkbase/referral"
	"linkbase/schema"
)

// usersUpdateRule lets a user update only their own record, and never the
// fields that the app alone manages. Email and password changes are further
// guarded by PocketBase itself (old password, email-change confirmation).
const usersUpdateRule = "id = @request.auth.id" +
	" && @request.body.credits:isset = false" +
	" && @request.body.referred_by:isset = false" +
	" && @request.body.referral_code:isset = false" +
	" && @request.body.verified:isset = false" +
	" && @request.body.disabled:isset = false"

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId(schema.Users)
		if err != nil {
			return err
		}

		// display_name replaces PocketBase's default "name".
		users.Fields.RemoveByName("name")
		users.Fields.Add(
			&core.TextField{Name: schema.UserUsername, Required: true, Min: 3, Max: 30, Pattern: account.UsernamePattern, Presentable: true},
			// Required: the create hook draws a code before validation.
			&core.TextField{Name: schema.UserReferralCode, Required: true, Max: 32, Pattern: referral.CodePattern},
			&core.RelationField{Name: schema.UserReferredBy, CollectionId: users.Id, MaxSelect: 1},
			&core.NumberField{Name: schema.UserCredits, Min: types.Pointer(0.0), OnlyInt: true},
			&core.TextField{Name: schema.UserDisplayName, Max: 50},
			&core.TextField{Name: schema.UserBio, Max: 300},
			&core.JSONField{Name: schema.UserTheme, MaxSize: 2048},
			&core.BoolField{Name: schema.UserDisabled},
		)

		// PocketBase's email index compares case-sensitively; ours does not.
		// Neither it nor the code index is partial (PocketBase's has WHERE
		// email != ''): both fields are required, and SQLite uses a partial
		// index only for queries that repeat its WHERE, so "email = ?"
		// (ours and PocketBase's own logins) would scan the table.
		emailIndex := "idx_email_" + users.Id
		users.RemoveIndex(emailIndex)
		users.AddIndex(emailIndex, true, "`email` COLLATE NOCASE", "")
		users.AddIndex("idx_users_username", true, "`username` COLLATE NOCASE", "")
		users.AddIndex("idx_users_referral_code", true, "`referral_code`", "")
		users.AddIndex("idx_users_referred_by", false, "`referred_by`", "`referred_by` != ''")

		users.PasswordAuth.Enabled = true
		users.PasswordAuth.IdentityFields = []string{"email", schema.UserUsername}
		users.OAuth2.MappedFields.Name = schema.UserDisplayName
		users.OAuth2.MappedFields.Username = schema.UserUsername

		owner := "id = @request.auth.id"
		users.ListRule = types.Pointer(owner)
		users.ViewRule = types.Pointer(owner)
		users.CreateRule = nil // sign-up goes through POST /api/register
		users.UpdateRule = types.Pointer(usersUpdateRule)
		users.DeleteRule = types.Pointer(owner)
		users.AuthRule = types.Pointer("disabled = false")

		return app.Save(users)
	}, nil)
}
