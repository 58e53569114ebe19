package refstore

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

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
	_, err = app.DB().Update(schema.Users, dbx.Params{
		schema.UserLoginIPHash: ipHash,
		schema.UserLoginAt:     at.String(),
	}, dbx.HashExp{"id": userID}).Execute()
	return err
}
