// Package accountdata gathers everything Linkbase stores about a user into
// one document, for the user's own data export (GET /api/me/export).
//
// A feature that stores data about a user adds one Section to Sections;
// the export, its tests and its documentation then cover it.
package accountdata

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/passkey"
	"linkbase/schema"
)

// Section is one named part of the export.
type Section struct {
	Name    string
	Collect func(app core.App, user *core.Record) (any, error)
}

// Sections is the one list of what an export holds, in order.
var Sections = []Section{
	{"account", account},
	{"links", links},
	{"referrals", referralsMade},
	{"referral_visits", referralVisits},
	{"rewards", rewards},
	{"analytics", analytics},
	{"passkeys", passkeys},
}

// Export is the user's data: every section, plus when it was made.
func Export(app core.App, user *core.Record, now time.Time) (map[string]any, error) {
	doc := map[string]any{"exported_at": now.UTC().Format(time.RFC3339)}
	for _, s := range Sections {
		v, err := s.Collect(app, user)
		if err != nil {
			return nil, fmt.Errorf("exporting %s: %w", s.Name, err)
		}
		doc[s.Name] = v
	}
	return doc, nil
}

// pick copies fields of each record, in the records' order.
func pick(records []*core.Record, fields ...string) []map[string]any {
	out := make([]map[string]any, 0, len(records))
	for _, r := range records {
		row := map[string]any{"id": r.Id}
		for _, f := range fields {
			row[f] = r.Get(f)
		}
		out = append(out, row)
	}
	return out
}

func byUser(app core.App, collection, field, userID, sort string) ([]*core.Record, error) {
	return app.FindRecordsByFilter(collection, field+" = {:user}", sort, 0, 0, dbx.Params{"user": userID})
}

func account(app core.App, user *core.Record) (any, error) {
	fields := []string{
		core.FieldNameEmail, schema.UserUsername, schema.UserDisplayName, schema.UserBio, schema.UserAvatar,
		schema.UserTheme, schema.UserSocials, core.FieldNameVerified, schema.UserReferralCode, schema.UserCredits,
		schema.UserNotifyReferrals, schema.UserDisabled, schema.UserSignupIPHash, schema.UserLoginIPHash,
		schema.UserLoginAt, "created", "updated",
	}
	out := pick([]*core.Record{user}, fields...)[0]
	referredBy := ""
	if id := user.GetString(schema.UserReferredBy); id != "" {
		if referrer, err := app.FindRecordById(schema.Users, id); err == nil {
			referredBy = referrer.GetString(schema.UserUsername)
		}
	}
	out["referred_by"] = referredBy

	providers, err := app.FindAllExternalAuthsByRecord(user)
	if err != nil {
		return nil, err
	}
	linked := make([]map[string]any, 0, len(providers))
	for _, p := range providers {
		linked = append(linked, map[string]any{"provider": p.Provider(), "created": p.Created()})
	}
	out["oauth2_providers"] = linked

	origins, err := app.FindAllAuthOriginsByRecord(user)
	if err != nil {
		return nil, err
	}
	devices := make([]map[string]any, 0, len(origins))
	for _, o := range origins {
		devices = append(devices, map[string]any{"fingerprint": o.Fingerprint(), "created": o.Created(), "updated": o.Updated()})
	}
	out["login_devices"] = devices
	return out, nil
}

func links(app core.App, user *core.Record) (any, error) {
	rows, err := byUser(app, schema.Links, schema.LinkOwner, user.Id, schema.LinkPosition)
	if err != nil {
		return nil, err
	}
	return pick(rows, schema.LinkTitle, schema.LinkURL, schema.LinkPosition, schema.LinkEnabled,
		schema.LinkStartsAt, schema.LinkEndsAt, schema.LinkClicks, "created", "updated"), nil
}

// referralsMade lists the user's referrals with the referred users'
// usernames (never their emails), as GET /api/referrals shows them.
func referralsMade(app core.App, user *core.Record) (any, error) {
	var rows []struct {
		ID           string `db:"id" json:"id"`
		Username     string `db:"username" json:"username"`
		CodeUsed     string `db:"code_used" json:"code_used"`
		Status       string `db:"status" json:"status"`
		ReviewReason string `db:"review_reason" json:"review_reason"`
		Created      string `db:"created" json:"created"`
		CompletedAt  string `db:"completed_at" json:"completed_at"`
	}
	err := app.DB().Select("r.id", "COALESCE(u.username, '') AS username", "r.code_used", "r.status",
		"r.review_reason", "r.created", "r.completed_at").
		From(schema.Referrals+" r").
		LeftJoin(schema.Users+" u", dbx.NewExp("u.id = r.referred_user")).
		Where(dbx.HashExp{"r.referrer": user.Id}).
		OrderBy("r.created").
		All(&rows)
	if err != nil {
		return nil, err
	}
	if rows == nil {
		return []any{}, nil
	}
	return rows, nil
}

// referralVisits are the counted visits of the user's referral link per
// day (the visitors themselves are other people's data).
func referralVisits(app core.App, user *core.Record) (any, error) {
	var rows []struct {
		Day    string `db:"day" json:"day"`
		Visits int    `db:"visits" json:"visits"`
	}
	err := app.DB().Select("day", "COUNT(*) AS visits").From(schema.ReferralVisits).
		Where(dbx.HashExp{schema.VisitReferrer: user.Id}).GroupBy("day").OrderBy("day").All(&rows)
	if err != nil {
		return nil, err
	}
	if rows == nil {
		return []any{}, nil
	}
	return rows, nil
}

func rewards(app core.App, user *core.Record) (any, error) {
	rows, err := byUser(app, schema.Rewards, schema.RewardUser, user.Id, "created")
	if err != nil {
		return nil, err
	}
	return pick(rows, schema.RewardKind, schema.RewardAmount, schema.RewardReason, schema.RewardReferral, "created"), nil
}

func analytics(app core.App, user *core.Record) (any, error) {
	profile, err := byUser(app, schema.ProfileDaily, schema.DailyProfile, user.Id, schema.DailyDate)
	if err != nil {
		return nil, err
	}
	linkRows, err := byUser(app, schema.LinkDaily, schema.DailyOwner, user.Id, schema.DailyDate)
	if err != nil {
		return nil, err
	}
	referrers, err := byUser(app, schema.ReferrerDaily, schema.DailyProfile, user.Id, schema.DailyDate)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"profile_daily":  pick(profile, schema.DailyDate, schema.DailyViews, schema.DailyClicks),
		"link_daily":     pick(linkRows, schema.DailyLink, schema.DailyDate, schema.DailyClicks),
		"referrer_daily": pick(referrers, schema.DailyDate, schema.DailyHost, schema.DailyViews),
	}, nil
}

func passkeys(app core.App, user *core.Record) (any, error) {
	return passkey.List(app, user.Id)
}
