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

// Each calls f(i) for every i in [0, n), on up to GOMAXPROCS goroutines
// (one: the caller's, when there is one core or one piece). Indices are
// handed out in order as workers free up, so uneven pieces balance. A
// panic in f is raised again in the caller once every worker has stopped.
func Each(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
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
		defer wg.Done()
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
	wg.Add(workers)
	for range workers - 1 {
		go work()
	}
	work()
	wg.Wait()
	if panicked != nil {
		panic(fmt.Sprintf("%v (in a fanout worker)", panicked))
	}
}
