// Package fanout runs independent pieces of work on every core and leaves
// their results where the caller put them, so that the outcome is the one
// a plain loop gives.
//
// The contract that keeps outputs deterministic: f(i) reads shared state
// only, writes only what belongs to index i (a slot of a slice made
// beforehand, the i-th run's own fields), and the caller merges the slots
// in index order afterwards. Which core runs which index, and when, then
// cannot show in the result.
package fanout

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n), on the caller's goroutine and
// up to GOMAXPROCS-1 more, as many as no other Each holds (one: the
// caller's, when there is one core, one piece, or every core is taken).
// An Each inside another's f so uses only the cores the outer one left
// idle: a folder's thousands of runs fill the cores and each run's own
// pieces run inline; its one long run leaves them idle and its pieces
// spread. Indices are handed out in order as workers free up, so uneven
// pieces balance. A panic in f is raised again in the caller once every
// worker has stopped.
func Each(n int, f func(i int)) {
	extra := reserve(min(runtime.GOMAXPROCS(0), n) - 1)
	if extra <= 0 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var panicked any
	work := func() {
		defer func() {
			if p := recover(); p != nil {
				once.Do(func() { panicked = p })
				next.Store(int64(n)) // the others stop at their next piece
			}
		}()
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	wg.Add(extra)
	for range extra {
		go func() {
			defer wg.Done()
			defer helpers.Add(-1) // its core is free for another Each now, before Wait returns
			work()
		}()
	}
	work()
	wg.Wait()
	if panicked != nil {
		panic(fmt.Sprintf("%v (in a fanout worker)", panicked))
	}
}

// helpers counts the goroutines every running Each has started besides
// its caller's.
var helpers atomic.Int64

// reserve takes up to want helpers from the cores no Each holds and
// returns how many it took.
func reserve(want int) int {
	for want > 0 {
		held := helpers.Load()
		take := min(int64(want), int64(runtime.GOMAXPROCS(0)-1)-held)
		if take <= 0 {
			return 0
		}
		if helpers.CompareAndSwap(held, held+take) {
			return int(take)
		}
	}
	return 0
}
