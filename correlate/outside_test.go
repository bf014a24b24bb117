package correlate

import (
	"fmt"
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

func eventKey(e Event) string { return fmt.Sprintf("%s:%d", e.File(), e.Line()) }

// Analysis.Outside and the runs' events together are every event of the
// input, each once (the synthetic set has one run, so no overlap), and
// --run does not change what is outside.
func TestOutsideHoldsWhatNoRunHolds(t *testing.T) {
	ds, _ := synthDataset(t, 8*3600)
	defer ds.Release()
	total := int(ds.Rows(schema.TableEvents))

	a, err := Analyze(ds, Options{KeepOutside: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, r := range a.Runs {
		for _, e := range r.Events.All() {
			seen[eventKey(e)] = r.Name
		}
	}
	inRuns := len(seen)
	unresolved := 0
	for _, e := range a.Outside.All() {
		k := eventKey(e)
		if where, dup := seen[k]; dup {
			t.Errorf("%s is outside and in %q", k, where)
		}
		seen[k] = "outside"
		if !e.Resolved() {
			unresolved++
		}
	}
	if len(seen) != total {
		t.Errorf("runs hold %d events, outside %d: %d of %d accounted for", inRuns, a.Outside.Len(), len(seen), total)
	}
	if seen["old/pgbouncer.log:1"] != "outside" || seen["mystery.log:1"] != "outside" {
		t.Errorf("the orphan file and the file of unknown clock must be outside: %q, %q", seen["old/pgbouncer.log:1"], seen["mystery.log:1"])
	}
	if unresolved != 1 {
		t.Errorf("%d unresolved events outside, want 1 (mystery.log)", unresolved)
	}
	t.Logf("%d events: %d in the run, %d outside (%d unresolved)", total, inRuns, a.Outside.Len(), unresolved)
	if inRuns == 0 || a.Outside.Len() < 60 {
		t.Errorf("runs hold %d events and %d are outside; the day-long runserver log puts ~70 outside", inRuns, a.Outside.Len())
	}
	for i := 1; i < a.Outside.Len()-unresolved; i++ {
		if a.Outside.At(i).Time().Before(a.Outside.At(i - 1).Time()) {
			t.Fatalf("placed outside events not in time order at %d", i)
		}
	}

	sel, err := Analyze(ds, Options{KeepOutside: true})
	if err != nil {
		t.Fatal(err)
	}
	sel.Select("other_*")
	if sel.Outside.Len() != a.Outside.Len() {
		t.Errorf("--run changed the outside events: %d, want %d", sel.Outside.Len(), a.Outside.Len())
	}
	plain, _ := Analyze(ds, Options{})
	if plain.Outside.Len() != 0 {
		t.Errorf("without KeepOutside the analysis holds %d outside events", plain.Outside.Len())
	}
}
