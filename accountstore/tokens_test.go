package accountstore_test

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/schema"
	"linkbase/testutil"
)

// TestConsumeTokenOnceAcrossProcesses consumes one token from 20
// goroutines over two apps with their own connection pools on one
// database, as two processes (or cluster nodes writing to one primary)
// would: exactly one consumption commits.
func TestConsumeTokenOnceAcrossProcesses(t *testing.T) {
	app := testutil.NewApp(t)
	other := core.NewBaseApp(core.BaseAppConfig{DataDir: app.DataDir()})
	if err := other.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.ResetBootstrapState() })
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token, err := ann.NewPasswordResetToken()
	if err != nil {
		t.Fatal(err)
	}

	var ok, used atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		on := core.App(app)
		if i%2 == 1 {
			on = other
		}
		wg.Go(func() {
			err := on.RunInTransaction(func(tx core.App) error { return accountstore.ConsumeToken(tx, token) })
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, account.ErrTokenInvalid):
				used.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || used.Load() != 19 {
		t.Fatalf("%d consumptions committed, %d found the token used; want 1 and 19", ok.Load(), used.Load())
	}
}

// TestConsumeTokenKeysOnTheSignature: the same token re-encoded (the last
// base64 character's spare bits changed, which a JWT parser accepts) is
// the same token; a consumption rolled back leaves it unused; expired
// rows are purged.
func TestConsumeTokenKeysOnTheSignature(t *testing.T) {
	app := testutil.NewApp(t)
	ann := testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	token, err := ann.NewPasswordResetToken()
	if err != nil {
		t.Fatal(err)
	}
	consume := func(tok string) error {
		return app.RunInTransaction(func(tx core.App) error { return accountstore.ConsumeToken(tx, tok) })
	}

	rolledBack := app.RunInTransaction(func(tx core.App) error {
		if err := accountstore.ConsumeToken(tx, token); err != nil {
			return err
		}
		return errors.New("the action failed")
	})
	if rolledBack == nil || consume(token) != nil {
		t.Fatal("a consumption that rolled back used the token up")
	}

	reencoded := token[:len(token)-1] + string(flipSpareBits(token[len(token)-1]))
	if reencoded == token {
		t.Fatal("no other encoding")
	}
	if _, err := app.FindAuthRecordByToken(reencoded, core.TokenTypePasswordReset); err != nil {
		t.Fatalf("the re-encoded token is not accepted by PocketBase, the premise is wrong: %v", err)
	}
	if err := consume(reencoded); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("the re-encoded token consumed again: %v", err)
	}
	for _, bad := range []string{"", "a.b", "a.b.!!", strings.Repeat("x", 10)} {
		if err := consume(bad); !errors.Is(err, account.ErrTokenInvalid) {
			t.Errorf("ConsumeToken(%q) = %v", bad, err)
		}
	}

	if err := accountstore.PurgeUsedTokens(app, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM "+schema.UsedTokens, nil); n != 1 {
		t.Fatalf("%d rows after purging none expired, want 1", n)
	}
	if err := accountstore.PurgeUsedTokens(app, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := testutil.QueryInt(t, app, "SELECT COUNT(*) FROM "+schema.UsedTokens, nil); n != 0 {
		t.Fatalf("%d rows after the token expired, want 0", n)
	}
}

// flipSpareBits returns the base64url character that decodes to the same
// bits as c when it ends a 32-byte signature (43 characters: the last
// carries 4 bits and 2 spare ones).
func flipSpareBits(c byte) byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, c)
	return alphabet[i^1]
}
