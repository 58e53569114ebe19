package refstore

import (
	"context"
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/handoff"
	"linkbase/schema"
)

// loginWriteKind names RecordLogin's write, which a cluster replica hands
// to the primary (package handoff): logins run on any node.
const loginWriteKind = "login_ip"

// loginWrite is what RecordLogin writes.
type loginWrite struct {
	User   string `json:"user"`
	IPHash string `json:"ip_hash"`
	At     string `json:"at"`
}

// RecordLogin keeps the salted hash of the client IP of a user's latest
// login, a fraud signal for the referrals they make. A direct update: a
// login is no change of the account, so it runs no hooks and leaves
// "updated" alone.
func (s *Store) RecordLogin(app core.App, userID, ip string) error {
	ipHash, err := s.HashIP(ip)
	if err != nil {
		return err
	}
	at, err := types.ParseDateTime(s.clock())
	if err != nil {
		return err
	}
	return handoff.Submit(context.Background(), app, loginWriteKind, "", loginWrite{User: userID, IPHash: ipHash, At: at.String()})
}

func applyLogin(app core.App, payload json.RawMessage) (func(), error) {
	var w loginWrite
	if err := json.Unmarshal(payload, &w); err != nil {
		return nil, err
	}
	_, err := app.DB().Update(schema.Users, dbx.Params{
		schema.UserLoginIPHash: w.IPHash,
		schema.UserLoginAt:     w.At,
	}, dbx.HashExp{"id": w.User}).Execute()
	return nil, err
}
