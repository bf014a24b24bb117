package fanout

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every index is visited exactly once, whatever the worker count.
func TestEachVisitsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 100, 1000} {
			seen := make([]int32, n)
			Each(n, func(i int) { seen[i]++ })
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("GOMAXPROCS %d, n %d: index %d visited %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// A panic in a piece reaches the caller instead of killing the process
// from a worker goroutine.
func TestEachRaisesPanicInCaller(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(p.(string), "boom 7") {
			t.Fatalf("recovered %v, want the piece's panic", p)
		}
	}()
	Each(20, func(i int) {
		if i == 7 {
			panic("boom 7")
		}
	})
	t.Fatal("Each returned after a panic")
}

// An Each inside another's piece uses only the cores the outer one left
// idle: never more pieces at once than GOMAXPROCS, and when the outer
// Each has one piece, the inner one spreads over the other cores.
func TestNestedEachUsesOnlyIdleCores(t *testing.T) {
	old := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(old)
	var running, most atomic.Int64
	piece := func() {
		now := running.Add(1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		running.Add(-1)
	}
	for _, outer := range []int{1, 2, 100} {
		most.Store(0)
		Each(outer, func(int) { Each(8, func(int) { piece() }) })
		if m := most.Load(); m > 4 {
			t.Errorf("outer %d: %d pieces ran at once on 4 cores", outer, m)
		}
		if m := most.Load(); outer == 1 && m < 2 {
			t.Errorf("one outer piece: its inner pieces ran %d at once, want the idle cores used", m)
		}
	}
	if h := helpers.Load(); h != 0 {
		t.Errorf("%d helpers still held after every Each returned", h)
	}
}
