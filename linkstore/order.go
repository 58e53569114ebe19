package linkstore

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/linkbio"
	"linkbase/schema"
)

// NextPosition is the position after the last of owner's links. Read it in
// the transaction that saves the new link, so two links created at once
// cannot take the same place.
func NextPosition(tx core.App, owner string) (int, error) {
	var next struct{ N int }
	err := tx.DB().NewQuery("SELECT COALESCE(MAX([[position]]) + 1, 0) AS n FROM {{links}} WHERE [[owner]] = {:owner}").
		Bind(dbx.Params{"owner": owner}).One(&next)
	return next.N, err
}

// Reorder gives owner's links (blocks of every kind) the order of ids,
// which must list each of them exactly once (linkbio.CheckOrder), and
// returns them in that order. The links are read and rewritten in one
// transaction, positions 0 to n-1, so orders sent at once leave one of
// them whole, never a mix with repeated positions. Each moved link is
// saved as a record: its hooks run, and subscribers and caches hear of it
// once the transaction commits.
func (s *Store) Reorder(owner string, ids []string) ([]*core.Record, error) {
	var ordered []*core.Record
	err := s.app.RunInTransaction(func(tx core.App) error {
		links, err := tx.FindRecordsByFilter(schema.Links, "owner = {:owner}", "position,created", 0, 0, dbx.Params{"owner": owner})
		if err != nil {
			return err
		}
		have := make([]string, len(links))
		byID := make(map[string]*core.Record, len(links))
		for i, l := range links {
			have[i] = l.Id
			byID[l.Id] = l
		}
		if err := linkbio.CheckOrder(ids, have); err != nil {
			return err
		}
		ordered = make([]*core.Record, len(ids))
		for i, id := range ids {
			link := byID[id]
			ordered[i] = link
			if link.GetInt(schema.LinkPosition) == i {
				continue
			}
			link.Set(schema.LinkPosition, i)
			if err := tx.Save(link); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ordered, nil
}
