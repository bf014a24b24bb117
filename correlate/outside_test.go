package correlate

import (
	"fmt"
	"testing"
)

func eventKey(e *Event) string { return fmt.Sprintf("%s:%d", e.File, e.Line) }

// Analysis.Outside and the runs' events together are every event of the
// input, each once (the synthetic set has one run, so no overlap), and
// --run does not change what is outside.
func TestOutsideHoldsWhatNoRunHolds(t *testing.T) {
	ds, _ := synthDataset(t, 8*3600)
	defer ds.Release()
	total := int(ds.Tables["events"].NumRows())

	a, err := Analyze(ds, Options{KeepOutside: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, r := range a.Runs {
		for i := range r.Events {
			seen[eventKey(&r.Events[i])] = r.Name
		}
	}
	inRuns := len(seen)
	unresolved := 0
	for i := range a.Outside {
		e := &a.Outside[i]
		k := eventKey(e)
		if where, dup := seen[k]; dup {
			t.Errorf("%s is outside and in %q", k, where)
		}
		seen[k] = "outside"
		if !e.Resolved {
			unresolved++
		}
	}
	if len(seen) != total {
		t.Errorf("runs hold %d events, outside %d: %d of %d accounted for", inRuns, len(a.Outside), len(seen), total)
	}
	if seen["old/pgbouncer.log:1"] != "outside" || seen["mystery.log:1"] != "outside" {
		t.Errorf("the orphan file and the file of unknown clock must be outside: %q, %q", seen["old/pgbouncer.log:1"], seen["mystery.log:1"])
	}
	if unresolved != 1 {
		t.Errorf("%d unresolved events outside, want 1 (mystery.log)", unresolved)
	}
	t.Logf("%d events: %d in the run, %d outside (%d unresolved)", total, inRuns, len(a.Outside), unresolved)
	if inRuns == 0 || len(a.Outside) < 60 {
		t.Errorf("runs hold %d events and %d are outside; the day-long runserver log puts ~70 outside", inRuns, len(a.Outside))
	}
	for i := 1; i < len(a.Outside)-unresolved; i++ {
		if a.Outside[i].Time.Before(a.Outside[i-1].Time) {
			t.Fatalf("placed outside events not in time order at %d", i)
		}
	}

	sel, err := Analyze(ds, Options{KeepOutside: true, Runs: "other_*"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Outside) != len(a.Outside) {
		t.Errorf("--run changed the outside events: %d, want %d", len(sel.Outside), len(a.Outside))
	}
	plain, _ := Analyze(ds, Options{})
	if plain.Outside != nil {
		t.Errorf("without KeepOutside the analysis holds %d outside events", len(plain.Outside))
	}
}
