package routes

import "runtime"

// passwordSlots bounds the bcrypt hashes and compares that run at once to
// the number of CPUs. bcrypt is pure CPU: beyond that, more goroutines
// only share the CPUs, so in a burst of sign-ups every request finishes at
// the end of the burst (500 at once: p50 ≈ p99 ≈ the whole burst). Queued
// in turn (a channel's blocked senders are served first come, first
// served), they finish one after another and the median wait is about
// halved, at the same throughput.
var passwordSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// withPasswordSlot runs f, which hashes or compares a password, in a slot.
func withPasswordSlot(f func()) {
	passwordSlots <- struct{}{}
	defer func() { <-passwordSlots }()
	f()
}
