package cluster

import (
	"github.com/pocketbase/dbx"
)

// stamps say which version of PocketBase's settings and collections a
// replica has loaded: the settings row's update time, and the number and
// newest update time of the collections. Reading them is two indexed
// queries, far cheaper than reloading on every replicated transaction.
type stamps struct {
	settings    string
	collections string
}

func (n *Node) readStamps() (stamps, error) {
	var s stamps
	err := n.app.DB().Select("updated").From("_params").
		Where(dbx.HashExp{"id": "settings"}).Row(&s.settings)
	if err != nil {
		return s, err
	}
	err = n.app.DB().NewQuery("SELECT count(*) || '|' || coalesce(max([[updated]]), '') FROM {{_collections}}").
		Row(&s.collections)
	return s, err
}

// reload reloads PocketBase's settings and cached collections when a
// replicated transaction changed them (or always, when forced), since
// PocketBase reloads them only after its own saves.
func (n *Node) reload(force bool) error {
	now, err := n.readStamps()
	if err != nil {
		return err
	}
	n.mu.RLock()
	before := n.stamps
	n.mu.RUnlock()
	if force || now.settings != before.settings {
		if err := n.app.ReloadSettings(); err != nil {
			return err
		}
		n.stats.reloads.WithLabelValues("settings").Inc()
	}
	if force || now.collections != before.collections {
		if err := n.app.ReloadCachedCollections(); err != nil {
			return err
		}
		n.stats.reloads.WithLabelValues("collections").Inc()
	}
	n.mu.Lock()
	n.stamps = now
	n.mu.Unlock()
	return nil
}
