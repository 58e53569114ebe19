//go:build parity

// The timing comparisons of login and forgot-password run only in `make
// parity` (go test -tags parity, without -race): they print their figures
// and fail only there, never in the default suite, where a loaded machine
// would make them flaky.

package routes_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
	"linkbase/stores"
	"linkbase/testutil"
)

// enumerationTolerance bounds the ratio of median answer times for a known
// and an unknown account. Both paths do one bcrypt comparison at the
// collection's cost, which dominates; the bound is loose enough for a noisy
// shared machine and far tighter than a skipped hash would give.
const enumerationTolerance = 1.5

// parityCost makes bcrypt dominate the answer time (tens of times the
// database lookup) while keeping the test short under -race.
const parityCost = 7

// TestLoginEnumerationParity: a wrong password for a real account and any
// password for an unknown one get the same status, the same body and about
// the same time (ratio of medians over repeated calls).
func TestLoginEnumerationParity(t *testing.T) {
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	setPasswordCost(t, app, parityCost)
	testutil.CreateUser(t, app, "ann@example.com", "ann", nil)
	handler := testutil.Handler(t, app)

	login := func(identity string) (int, string, time.Duration) {
		start := time.Now()
		rec := testutil.Send(handler, http.MethodPost, "/api/login", `{"identity":"`+identity+`","password":"wrong-password-42"}`, nil)
		return rec.Code, rec.Body.String(), time.Since(start)
	}
	login("warm-up") // the dummy hash is made on first use

	var known, unknown []time.Duration
	for range 9 {
		codeK, bodyK, k := login("ann")
		codeU, bodyU, u := login("nobody")
		if codeK != codeU || bodyK != bodyU {
			t.Fatalf("known: %d %s; unknown: %d %s", codeK, bodyK, codeU, bodyU)
		}
		known, unknown = append(known, k), append(unknown, u)
	}
	ratio := float64(median(known)) / float64(median(unknown))
	t.Logf("median known %v, unknown %v, ratio %.2f", median(known), median(unknown), ratio)
	if ratio > enumerationTolerance || ratio < 1/enumerationTolerance {
		t.Fatalf("known/unknown time ratio %.2f outside 1/%.1f..%.1f", ratio, enumerationTolerance, enumerationTolerance)
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func setPasswordCost(t testing.TB, app core.App, cost int) {
	t.Helper()
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		t.Fatal(err)
	}
	users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField).Cost = cost
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
}

// mailEnumerationTolerance is looser than the login one: both paths take
// about a tenth of a millisecond, where a shared machine's noise is
// relatively larger; mailing on the request path would cost far more.
const mailEnumerationTolerance = 2.0

// TestForgotPasswordEnumerationParity: known and unknown addresses get the
// same status, body and about the same time, each known address asked once
// (so every known request really mails).
func TestForgotPasswordEnumerationParity(t *testing.T) {
	const n = 41
	app := testutil.NewApp(t)
	testutil.RelaxRateLimits(t, app)
	for i := range n {
		testutil.CreateUser(t, app, fmt.Sprintf("known%d@example.com", i), fmt.Sprintf("known%d", i), nil)
	}
	handler := testutil.Handler(t, app)
	ask := func(email string) (int, string, time.Duration) {
		start := time.Now()
		rec := testutil.Send(handler, http.MethodPost, "/api/forgot-password", `{"email":"`+email+`"}`, nil)
		return rec.Code, rec.Body.String(), time.Since(start)
	}
	ask("warm-up@example.com")

	var known, unknown []time.Duration
	for i := range n {
		codeK, bodyK, k := ask(fmt.Sprintf("known%d@example.com", i))
		codeU, bodyU, u := ask(fmt.Sprintf("unknown%d@example.com", i))
		if codeK != http.StatusNoContent || codeK != codeU || bodyK != bodyU {
			t.Fatalf("known: %d %q; unknown: %d %q", codeK, bodyK, codeU, bodyU)
		}
		known, unknown = append(known, k), append(unknown, u)
	}
	stores.Of(app).Mail.Wait()
	if got := app.TestMailer.TotalSend(); got != n {
		t.Fatalf("%d mails sent, want one per known address (%d)", got, n)
	}
	ratio := float64(median(known)) / float64(median(unknown))
	t.Logf("median known %v, unknown %v, ratio %.2f", median(known), median(unknown), ratio)
	if ratio > mailEnumerationTolerance || ratio < 1/mailEnumerationTolerance {
		t.Fatalf("known/unknown time ratio %.2f outside 1/%.1f..%.1f", ratio, mailEnumerationTolerance, mailEnumerationTolerance)
	}
}
