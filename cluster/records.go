package cluster

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cast"

	"linkbase/handoff"
)

// handedTables are PocketBase's own records that a login writes: the auth
// origins behind new-location alerts, and MFA sessions (made by a first
// factor, deleted by the second). On a replica their writes go to the
// primary as they are, so a login runs wholly on the node that got it.
// Every other write reaches the primary as the request that makes it.
var handedTables = []string{core.CollectionNameAuthOrigins, core.CollectionNameMFAs}

// recordWriteKind is the kind of the writes of handedTables.
const recordWriteKind = "record"

// recordWrite is one row written, as the replica's model hooks left it.
type recordWrite struct {
	Table  string         `json:"table"`
	ID     string         `json:"id"`
	Delete bool           `json:"delete,omitempty"`
	Row    map[string]any `json:"row,omitempty"` // column -> database value
}

// bindRecordWrites hands a replica's writes of handedTables to the
// primary, which applies them to the same rows. The model hooks (and
// validation) have run on the replica; only the database write moves.
func (n *Node) bindRecordWrites(app core.App) {
	handoff.Handle(app, recordWriteKind, applyRecordWrite)
	app.OnModelCreateExecute(handedTables...).BindFunc(n.handRecord(false))
	app.OnModelUpdateExecute(handedTables...).BindFunc(n.handRecord(false))
	app.OnModelDeleteExecute(handedTables...).BindFunc(n.handRecord(true))
}

func (n *Node) handRecord(isDelete bool) func(e *core.ModelEvent) error {
	return func(e *core.ModelEvent) error {
		// A record's delete runs in a transaction of its own (for
		// cascades, which these tables have none of): the row goes at
		// once, and the replica's transaction, which wrote nothing, ends.
		if n.IsPrimary() {
			return e.Next()
		}
		w := recordWrite{Table: e.Model.TableName(), Delete: isDelete}
		if isDelete {
			w.ID = cast.ToString(e.Model.LastSavedPK())
		} else {
			w.ID = cast.ToString(e.Model.PK())
			row, err := exportRow(e.App, e.Model)
			if err != nil {
				return err
			}
			w.Row = row
		}
		if err := handoff.Submit(e.Context, e.App, recordWriteKind, "", w); err != nil {
			return err
		}
		if !isDelete {
			e.Model.MarkAsNotNew()
		}
		return nil
	}
}

// exportRow is the row PocketBase would write for m, with every value in
// its database form (text, numbers), so that it travels as JSON.
func exportRow(app core.App, m core.Model) (map[string]any, error) {
	exporter, ok := m.(core.DBExporter)
	if !ok {
		return nil, fmt.Errorf("cluster: %T cannot be handed to the primary", m)
	}
	row, err := exporter.DBExport(app)
	if err != nil {
		return nil, err
	}
	for col, v := range row {
		if valuer, ok := v.(driver.Valuer); ok {
			if row[col], err = valuer.Value(); err != nil {
				return nil, err
			}
		}
		if b, ok := row[col].([]byte); ok {
			row[col] = string(b)
		}
	}
	return row, nil
}

// applyRecordWrite applies a recordWrite on the primary: the row is
// replaced or inserted, or deleted. Only handedTables are accepted.
func applyRecordWrite(app core.App, payload json.RawMessage) (func(), error) {
	var w recordWrite
	if err := json.Unmarshal(payload, &w); err != nil {
		return nil, err
	}
	if !slices.Contains(handedTables, w.Table) || w.ID == "" {
		return nil, fmt.Errorf("cluster: refusing a handed write of %q", w.Table)
	}
	db := app.NonconcurrentDB()
	if w.Delete {
		_, err := db.Delete(w.Table, dbx.HashExp{"id": w.ID}).Execute()
		return nil, err
	}
	row := dbx.Params(w.Row)
	row["id"] = w.ID
	res, err := db.Update(w.Table, row, dbx.HashExp{"id": w.ID}).Execute()
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil, nil
	}
	_, err = db.Insert(w.Table, row).Execute()
	return nil, err
}
