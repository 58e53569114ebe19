package accountstore

import (
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/schema"
)

// EmailDuplicate is a set of accounts whose stored addresses have one
// canonical form (account.NormalizeEmail), such as "a@example.com" and
// "a@example.com." registered before the trailing dot was removed.
type EmailDuplicate struct {
	Email   string   // the canonical form
	UserIDs []string // the account that holds it, then the others
	Stored  []string // each account's address as stored afterwards, in the order of UserIDs
}

// CanonicalizeEmails stores every user's address in its canonical form,
// in one transaction, except where that form already belongs to another
// account (stored so, or canonicalised first in order of creation): those
// addresses stay as they are and are returned, for an admin to resolve.
// Nothing is merged or deleted. The addresses are written with SQL, not
// saved as records: the mailbox is the same, so the account keeps its
// sessions (a saved email change would rotate its token key).
func CanonicalizeEmails(app core.App) ([]EmailDuplicate, error) {
	var dups map[string]*EmailDuplicate
	err := app.RunInTransaction(func(tx core.App) error {
		var rows []struct {
			ID    string `db:"id"`
			Email string `db:"email"`
		}
		err := tx.DB().Select("id", "email").From(schema.Users).OrderBy("created", "id").All(&rows)
		if err != nil {
			return err
		}
		holder := map[string]int{} // canonical form -> index in rows of the account holding it
		for i, r := range rows {
			if account.NormalizeEmail(r.Email) == r.Email {
				holder[r.Email] = i
			}
		}
		dups = map[string]*EmailDuplicate{}
		for i, r := range rows {
			canonical := account.NormalizeEmail(r.Email)
			if canonical == r.Email {
				continue
			}
			if h, taken := holder[canonical]; taken {
				d := dups[canonical]
				if d == nil {
					d = &EmailDuplicate{Email: canonical, UserIDs: []string{rows[h].ID}, Stored: []string{rows[h].Email}}
					dups[canonical] = d
				}
				d.UserIDs = append(d.UserIDs, r.ID)
				d.Stored = append(d.Stored, r.Email)
				continue
			}
			_, err := tx.DB().Update(schema.Users, dbx.Params{"email": canonical}, dbx.HashExp{"id": r.ID}).Execute()
			if err != nil {
				return err
			}
			rows[i].Email = canonical
			holder[canonical] = i
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	found := make([]EmailDuplicate, 0, len(dups))
	for _, d := range dups {
		found = append(found, *d)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Email < found[j].Email })
	return found, nil
}
