package correlate

import (
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

// samples/many-runs/locust.log holds three Locust runs (-u 10, 20, 40);
// its parser names all its settings after the last run's report. Each
// setting belongs to the run it was printed in.
func TestConsoleMetaPerRun(t *testing.T) {
	a := analyzeDir(t, "../samples/many-runs", Options{})
	want := map[string][2]string{
		"hasil_test_run1": {"10", "5.00"},
		"hasil_test_run2": {"20", "5.00"},
		"hasil_test_run3": {"40", "8.00"},
	}
	for name, w := range want {
		r := a.Run(name)
		if r == nil {
			t.Fatalf("no run %s", name)
		}
		if got := [2]string{r.MetaValue("users"), r.MetaValue("spawn_rate")}; got != w {
			t.Errorf("%s: users, spawn rate %v, want %v", name, got, w)
		}
		for _, m := range r.Meta {
			if m.File != "locust.log" {
				continue
			}
			us, ok := a.Events.timeAtLine(schema.FileID(fileID(a, "locust.log")), m.Line)
			lo, hi := ceilMicro(r.Start.Add(-DefaultMargin)), floorMicro(r.End.Add(DefaultMargin))
			if !ok || us < lo || us > hi {
				t.Errorf("%s holds %s (locust.log:%d), printed outside its window", name, m.Key, m.Line)
			}
		}
	}
}

func fileID(a *Analysis, path string) (id int) {
	for i, f := range a.Events.files {
		if f.Path == path {
			return i
		}
	}
	return -1
}
