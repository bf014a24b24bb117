package correlate

import (
	"os"
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

// A log's clock is inferred from its own folder's evidence only: a folder
// holding just a runserver and an auth-debug log (no Locust files, no log
// with a zone) beside samples/pool-exhaustion has nothing to be compared
// with. Before, both logs were given pool-exhaustion's clock as "written
// by the same process" (confidence 0.7): another folder's process.
func TestClockInferenceStaysInItsFolder(t *testing.T) {
	alone := filepath.Join(t.TempDir(), "b")
	if err := os.MkdirAll(filepath.Join(alone, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"runserver_8000.err.log", "auth_debug.log"} {
		b, err := os.ReadFile(filepath.Join("..", "samples", "healthy", "logs", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(alone, "logs", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pool := filepath.Join("..", "samples", "pool-exhaustion")
	a, err := Pipeline(Options{}, pool, alone)
	if err != nil {
		t.Fatal(err)
	}
	var mine, theirs int
	for _, c := range a.Clocks {
		switch {
		case strings.HasPrefix(c.File, filepath.ToSlash(alone)+"/"):
			mine++
			if c.Method != "unknown" || strings.Contains(c.Evidence, "pool-exhaustion") {
				t.Errorf("%s: clock %s (%s) from %q: another folder's evidence", c.File, c.Zone, c.Method, c.Evidence)
			}
		case c.Method == "cross-correlation" || c.Method == "explicit":
			theirs++
		}
	}
	if mine != 2 || theirs == 0 {
		t.Fatalf("%d clocks of the lone folder (want 2), %d settled clocks of pool-exhaustion", mine, theirs)
	}
}
