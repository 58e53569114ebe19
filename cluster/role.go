package cluster

import "github.com/pocketbase/pocketbase/core"

// Writes returns a function that reports whether app's node writes: always
// on a single node, on a cluster's primary only (as LiteFS last said), so
// a worker that writes (webhook deliveries) can skip its turn on a
// replica and take over on promotion.
func Writes(app core.App) func() bool {
	return func() bool {
		n := Of(app)
		return n == nil || n.IsPrimary()
	}
}
