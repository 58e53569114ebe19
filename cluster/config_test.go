package cluster

import (
	"errors"
	"github.com/pocketbase/dbx"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	secret := strings.Repeat("s", minSecretLen)
	cases := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{name: "off without a mount", env: map[string]string{SecretEnv: secret}, wantErr: ErrOff.Error()},
		{name: "defaults", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret},
			want: Config{Mount: "/litefs", API: DefaultAPI, Secret: []byte(secret), Wait: time.Minute}},
		{name: "api and wait", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret, APIEnv: "http://10.0.0.2:20202/", WaitEnv: "5s"},
			want: Config{Mount: "/litefs", API: "http://10.0.0.2:20202", Secret: []byte(secret), Wait: 5 * time.Second}},
		{name: "no secret", env: map[string]string{MountEnv: "/litefs"}, wantErr: SecretEnv},
		{name: "short secret", env: map[string]string{MountEnv: "/litefs", SecretEnv: "short"}, wantErr: SecretEnv},
		{name: "api without scheme", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret, APIEnv: "127.0.0.1:20202"}, wantErr: APIEnv},
		{name: "api of another scheme", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret, APIEnv: "ftp://x"}, wantErr: APIEnv},
		{name: "bad wait", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret, WaitEnv: "soon"}, wantErr: WaitEnv},
		{name: "negative wait", env: map[string]string{MountEnv: "/litefs", SecretEnv: secret, WaitEnv: "-1s"}, wantErr: WaitEnv},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := configFrom(func(k string) string { return c.env[k] })
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one naming %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Mount != c.want.Mount || got.API != c.want.API || string(got.Secret) != string(c.want.Secret) || got.Wait != c.want.Wait {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
	if _, err := configFrom(func(string) string { return "" }); !errors.Is(err, ErrOff) {
		t.Fatalf("empty environment: %v, want ErrOff", err)
	}
}

func TestPrimaryURL(t *testing.T) {
	cases := []struct{ hostname, want string }{
		{"127.0.0.1:18710", "http://127.0.0.1:18710"},
		{"node1.internal:8090", "http://node1.internal:8090"},
		{"https://node1.example.com/ignored/path", "https://node1.example.com"},
		{" 127.0.0.1:18710\n", "http://127.0.0.1:18710"},
		{"", ""},
		{"ftp://node1", ""},
		{"http://", ""},
	}
	for _, c := range cases {
		u, err := primaryURL(c.hostname)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != c.want {
			t.Errorf("primaryURL(%q) = %q (%v), want %q", c.hostname, got, err, c.want)
		}
	}
}

func TestOnMountOpensOnlyDataDBOnTheMount(t *testing.T) {
	var opened []string
	connect := onMount("/litefs", func(path string) (*dbx.DB, error) {
		opened = append(opened, path)
		return nil, nil
	}, func() bool { return true })
	_, _ = connect("/srv/pb_data/data.db")
	_, _ = connect("/srv/pb_data/auxiliary.db")
	if len(opened) != 2 || opened[0] != "/litefs/data.db" || opened[1] != "/srv/pb_data/auxiliary.db" {
		t.Fatalf("opened %v", opened)
	}
}

// TestThePrimaryBeginsTransactionsImmediate: a transaction of the
// primary's data.db holds the write lock from its start, so another
// writer (Litestream) waits for it rather than invalidating its snapshot
// (SQLITE_BUSY_SNAPSHOT, which no busy timeout resolves).
func TestThePrimaryBeginsTransactionsImmediate(t *testing.T) {
	mount := t.TempDir()
	for _, primary := range []bool{true, false} {
		db, err := onMount(mount, nil, func() bool { return primary })(filepath.Join(t.TempDir(), dataDBName))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewQuery("CREATE TABLE IF NOT EXISTS t (n INTEGER)").Execute(); err != nil {
			t.Fatal(err)
		}
		other, err := dbx.Open("sqlite", filepath.Join(mount, dataDBName)+"?_pragma=busy_timeout(50)")
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.NewQuery("SELECT count(*) FROM t").Row(&n); err != nil {
			t.Fatal(err)
		}
		_, err = other.NewQuery("INSERT INTO t (n) VALUES (1)").Execute()
		if primary && err == nil {
			t.Error("on the primary another writer got in while a transaction was open")
		}
		if !primary && err != nil {
			t.Errorf("on a replica's (deferred) connection a reading transaction blocked a writer: %v", err)
		}
		_ = tx.Rollback()
		_ = other.Close()
		_ = db.Close()
	}
}
