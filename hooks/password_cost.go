package hooks

import (
	"fmt"
	"os"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/schema"
)

// passwordCostEnv overrides, at start-up, the bcrypt cost of the users
// collection's password field (dashboard: Collections → users → password
// → "Bcrypt cost"). Each step doubles the work of every login and sign-up
// (BENCHMARKS.md): PocketBase's default 10 costs about 70 ms of one CPU.
const passwordCostEnv = "LINKBASE_BCRYPT_COST"

// Bounds of the override: below 10 falls short of OWASP's password
// storage advice; above 14 a single hash takes over a second here, which
// turns every login form into a lever for exhausting the CPUs.
const (
	minPasswordCost = 10
	maxPasswordCost = 14
)

func registerPasswordCost(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return applyPasswordCostFromEnv(e.App)
	})
}

// applyPasswordCostFromEnv saves the cost into the collection, so the
// dashboard shows the value in force. Stored hashes keep the cost they
// were made with (bcrypt records it); new passwords get the new one. A
// value out of bounds fails the start-up rather than being ignored.
func applyPasswordCostFromEnv(app core.App) error {
	v, ok := os.LookupEnv(passwordCostEnv)
	if !ok || v == "" {
		return nil
	}
	cost, err := strconv.Atoi(v)
	if err != nil || cost < minPasswordCost || cost > maxPasswordCost {
		return fmt.Errorf("%s=%q: want a whole number from %d to %d", passwordCostEnv, v, minPasswordCost, maxPasswordCost)
	}
	users, err := app.FindCollectionByNameOrId(schema.Users)
	if err != nil {
		return err
	}
	field, ok := users.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField)
	if !ok || field.Cost == cost {
		return nil
	}
	field.Cost = cost
	if err := app.Save(users); err != nil {
		return fmt.Errorf("applying %s: %w", passwordCostEnv, err)
	}
	return nil
}
