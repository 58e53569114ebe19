// Package secret reads the install's secrets: values a migration generates
// once per install into the superuser-only secrets collection
// (schema.Secrets), such as the IP salt and the session key.
package secret

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/state"
)

// Secret is one install secret, read on first use and then held.
type Secret struct {
	app   core.App
	name  string
	cache *state.Cache[[]byte]
}

// New returns the secret of app named name (schema.SecretIPSalt, …). Its
// cache is Local: only migrations write the secrets collection (no code
// rotates a secret), so a cluster replica's state.ClearCaches after each
// replicated batch need not drop it and read it again.
func New(app core.App, name string) *Secret {
	return &Secret{app: app, name: name, cache: state.NewCache(state.CacheConfig[[]byte]{Name: name, Max: 1, Local: true})}
}

// Bytes is the secret's value.
func (s *Secret) Bytes() ([]byte, error) {
	return s.cache.Get(s.name, func() ([]byte, error) {
		row, err := s.app.FindFirstRecordByData(schema.Secrets, schema.SecretName, s.name)
		if err != nil {
			return nil, fmt.Errorf("loading the secret %s: %w", s.name, err)
		}
		return []byte(row.GetString(schema.SecretValue)), nil
	})
}
