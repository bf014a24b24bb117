package pipeline

import (
	"testing"
	"time"

	"github.com/logcorr/logcorr/parsers"
)

// TestFileTimerWalls: with two slots, files start in target order as a
// slot frees, so each file's time runs from the end that freed its slot.
func TestFileTimerWalls(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	targets := []parsers.Target{{Name: "a"}, {Name: "b"}, {Name: "dup"}, {Name: "c"}, {Name: "d"}}
	ft := &fileTimer{start: t0, targets: targets, ends: map[string]time.Time{}, size: map[string]int64{}}
	// a: 0→30, b: 0→10, c starts when b ends: 10→50, d when a ends: 30→40.
	// dup is never parsed (ParseAll skips duplicates without a slot).
	for _, e := range []struct {
		name string
		ms   int
	}{{"b", 10}, {"a", 30}, {"d", 40}, {"c", 50}} {
		ft.ends[e.name] = at(e.ms)
		ft.order = append(ft.order, at(e.ms))
	}
	got := ft.walls(2)
	want := map[string]time.Duration{"a": 30 * time.Millisecond, "b": 10 * time.Millisecond, "c": 40 * time.Millisecond, "d": 10 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("walls = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("wall[%s] = %v, want %v", k, got[k], v)
		}
	}
}
