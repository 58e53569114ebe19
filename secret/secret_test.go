package secret_test

import (
	"bytes"
	"testing"

	"linkbase/schema"
	"linkbase/secret"
	"linkbase/state"
	"linkbase/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

func TestSecretsAreReadOnceAndSurviveReplicaClears(t *testing.T) {
	app := testutil.NewApp(t)
	for _, name := range []string{schema.SecretIPSalt, schema.SecretSessionKey} {
		t.Run(name, func(t *testing.T) {
			row, err := app.FindFirstRecordByData(schema.Secrets, schema.SecretName, name)
			if err != nil {
				t.Fatal(err)
			}
			want := []byte(row.GetString(schema.SecretValue))
			if len(want) < 32 {
				t.Fatalf("migration stored a %d-byte %s", len(want), name)
			}
			s := secret.New(app, name)
			got, err := s.Bytes()
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("Bytes() = %q, %v; want %q", got, err, want)
			}
			// Gone from the database, it is still held, through a
			// replica's cache clear too (Local).
			if err := app.Delete(row); err != nil {
				t.Fatal(err)
			}
			state.ClearCaches()
			if got, err := s.Bytes(); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("after ClearCaches: Bytes() = %q, %v; want the held %q", got, err, want)
			}
			// A new reader finds it missing: an error, not an empty key.
			if got, err := secret.New(app, name).Bytes(); err == nil {
				t.Fatalf("missing secret read as %q without an error", got)
			}
		})
	}
}
