package fanout

import (
	"runtime"
	"strings"
	"testing"
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
