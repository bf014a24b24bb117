package correlate

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// A wrapper that renames the CSV set after the run
// (PREFIX_20261129_202629_stats.csv) leaves the console log naming a run
// no CSV has. Its settings go to the renamed run, printed in its window,
// and the name the console gave is no run of its own: it would hold
// nothing and read "clean".
func TestConsoleNameOfARenamedRunIsNoRun(t *testing.T) {
	src, dir := "../samples/pool-exhaustion", t.TempDir()
	const stamp = "_20261129_202629"
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if base := filepath.Base(rel); strings.HasPrefix(base, "hasil_test_pool_exhaustion") {
			for _, suf := range []string{"_stats_history.csv", "_stats.csv", "_failures.csv", "_exceptions.csv", ".html"} {
				if strings.HasSuffix(base, suf) {
					rel = filepath.Join(filepath.Dir(rel), strings.TrimSuffix(base, suf)+stamp+suf)
					break
				}
			}
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	a := analyzeDir(t, dir, Options{})
	var names []string
	for _, r := range a.Runs {
		names = append(names, r.Name)
	}
	if len(a.Runs) != 1 || a.Runs[0].Name != "hasil_test_pool_exhaustion"+stamp {
		t.Fatalf("runs %v, want only hasil_test_pool_exhaustion%s", names, stamp)
	}
	if r := a.Runs[0]; r.MetaValue("users") == "" || !slices.Contains(r.Files, "locust.log") {
		t.Errorf("the renamed run holds no console setting (users %q, files %v)", r.MetaValue("users"), r.Files)
	}
}

// sliceIndex.first must give what a scan of every run in order gives: the
// first run holding the time that the filter accepts, overlaps included.
func TestSliceIndexFirstIsTheScansAnswer(t *testing.T) {
	scan := func(runs []*Run, b map[*Run]timeBounds, us int64, ok func(*Run) bool) *Run {
		for _, r := range runs {
			if x := b[r]; us >= x.lo && us <= x.hi && ok(r) {
				return r
			}
		}
		return nil
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rnd.IntN(30)
		runs := make([]*Run, n)
		b := map[*Run]timeBounds{}
		for i := range runs {
			runs[i] = &Run{Name: fmt.Sprint(i)}
			lo := rnd.Int64N(1000)
			b[runs[i]] = timeBounds{lo, lo + rnd.Int64N(200)} // overlapping, out of order
		}
		reject := rnd.IntN(n)
		ok := func(r *Run) bool { return r.Name != fmt.Sprint(reject) }
		x := newSliceIndex(runs, b)
		for us := int64(-10); us < 1300; us += 7 {
			if got, want := x.first(us, ok), scan(runs, b, us, ok); got != want {
				t.Fatalf("trial %d, us %d: first = %v, the scan's %v", trial, us, got, want)
			}
		}
	}
	if got := newSliceIndex(nil, nil).first(5, func(*Run) bool { return true }); got != nil {
		t.Errorf("no runs: first = %v, want nil", got)
	}
}
