package correlate

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Folders analysed together keep their logs to their own runs: each run
// of the four samples holds, with the others beside it, exactly the
// events it holds alone (before, 12 of pool-exhaustion's events went to
// another folder's run whose window overlapped), and the audit of a log
// whose events fell in a foreign window says so.
func TestFoldersKeepTheirLogs(t *testing.T) {
	samples := []string{"healthy", "many-runs", "pool-exhaustion", "rate-limited"}
	keys := func(a *Analysis, r *Run) []string {
		var out []string
		for _, e := range r.Events.All() {
			// together the names carry their folder; alone they do not
			root := a.Events.files[e.FileID()].Root
			rel := strings.TrimPrefix(e.File(), root+"/")
			out = append(out, filepath.Base(root)+"/"+rel+":"+strconv.FormatInt(e.Line(), 10))
		}
		slices.Sort(out)
		return out
	}
	alone := map[string][]string{}
	var dirs []string
	for _, s := range samples {
		dir := filepath.Join("..", "samples", s)
		dirs = append(dirs, dir)
		a := analyzeDir(t, dir, Options{})
		for _, r := range a.Runs {
			alone[r.Name] = keys(a, r)
		}
	}
	all, err := Pipeline(Options{}, dirs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Runs) != len(alone) {
		t.Fatalf("%d runs together, %d alone", len(all.Runs), len(alone))
	}
	for _, r := range all.Runs {
		got := keys(all, r)
		if !slices.Equal(got, alone[r.Name]) {
			var foreign []string
			for _, k := range got {
				if !slices.Contains(alone[r.Name], k) {
					foreign = append(foreign, k)
				}
			}
			t.Errorf("%s: %d events together, %d alone; not its own: %v", r.Name, len(got), len(alone[r.Name]), foreign)
		}
	}
	said := false
	for _, au := range all.Sources {
		for _, m := range au.Messages {
			if strings.Contains(m, "not given to them") {
				said = true
			}
		}
	}
	if !said {
		t.Error("no audit says a log's events were kept from another folder's run")
	}
}
