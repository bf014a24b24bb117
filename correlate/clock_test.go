package correlate

import (
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// A file whose offset cannot be inferred is not dropped in silence: its
// decision counts the events left out, says so in its evidence, and is
// listed in the run its wall clock could reach.
func TestLeftOutEventsAreShown(t *testing.T) {
	ds, _ := synthDataset(t, 8*3600)
	defer ds.Release()
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := clockOf(a, "mystery.log")
	if c.Method != "unknown" || c.LeftOut != 1 || !strings.HasSuffix(c.Evidence, "; 1 event(s) left out of every run") {
		t.Errorf("mystery.log decision %+v", c)
	}
	for _, f := range []string{"logs/runserver_8000.err.log", "pgbouncer.log"} {
		if c := clockOf(a, f); c.LeftOut != 0 || strings.Contains(c.Evidence, "left out") {
			t.Errorf("%s: %+v", f, c)
		}
	}
	r := a.Runs[0]
	found := false
	for _, rc := range r.Clock {
		found = found || rc.File == "mystery.log" && rc.LeftOut == 1
	}
	if !found {
		t.Errorf("run clocks %+v do not show mystery.log", r.Clock)
	}
}

func TestUnplacedClocks(t *testing.T) {
	run := &Run{Name: "r", Start: at("2026-01-11T03:42:27Z"), End: at("2026-01-11T03:47:27Z"), Logs: []string{"placed.log"}}
	wall := func(s string) time.Time { return at(s) }
	tests := []struct {
		name   string
		clock  fileClock
		listed bool
	}{
		{"every event placed", fileClock{Clock: Clock{File: "a.log"}, wallLo: wall("2026-01-11T10:42:00Z"), wallHi: wall("2026-01-11T10:50:00Z")}, false},
		{"unknown, wall clock 7 h ahead", fileClock{Clock: Clock{File: "a.log", LeftOut: 5}, wallLo: wall("2026-01-11T10:42:00Z"), wallHi: wall("2026-01-11T10:50:00Z")}, true},
		{"unknown, 14 h ahead at most", fileClock{Clock: Clock{File: "a.log", LeftOut: 5}, wallLo: wall("2026-01-11T17:49:00Z"), wallHi: wall("2026-01-11T18:00:00Z")}, true},
		{"unknown, beyond +14 h", fileClock{Clock: Clock{File: "a.log", LeftOut: 5}, wallLo: wall("2026-01-11T17:50:00Z"), wallHi: wall("2026-01-11T18:00:00Z")}, false},
		{"unknown, 12 h behind at most", fileClock{Clock: Clock{File: "a.log", LeftOut: 5}, wallLo: wall("2026-01-10T15:00:00Z"), wallHi: wall("2026-01-10T15:40:27Z")}, true},
		{"unknown, a night earlier", fileClock{Clock: Clock{File: "a.log", LeftOut: 5}, wallLo: wall("2026-01-10T03:40:00Z"), wallHi: wall("2026-01-10T03:50:00Z")}, false},
		{"no timestamps at all", fileClock{Clock: Clock{File: "a.log", LeftOut: 9}}, true},
		{"already among the run's logs", fileClock{Clock: Clock{File: "placed.log", LeftOut: 3}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.clock
			got := unplacedClocks(map[schema.FileID]*fileClock{0: &c}, run, DefaultMargin)
			if (len(got) == 1) != tc.listed {
				t.Errorf("listed %v, want %v", got, tc.listed)
			}
		})
	}
}

// placeEvents leaves out exactly the events the decisions count.
func TestLeftOutMatchesPlacement(t *testing.T) {
	ev := []parsers.Event{
		{File: "naive.log", Line: 1, Time: at("2026-01-11T10:00:00Z"), Naive: true, Source: "custom", Kind: parsers.KindLog},
		{File: "naive.log", Line: 2, Source: "custom", Kind: parsers.KindLog}, // borrows line 1's time
		{File: "naive.log", Line: 3, Time: at("2026-01-11T10:00:05Z"), Naive: true, Source: "custom", Kind: parsers.KindLog},
		{File: "notime.log", Line: 1, Source: "custom", Kind: parsers.KindLog},
		{File: "notime.log", Line: 2, Source: "custom", Kind: parsers.KindLog},
		{File: "zoned.log", Line: 1, Time: at("2026-01-11T03:00:00Z"), Zone: "UTC", Source: "pgbouncer", Kind: parsers.KindLog},
	}
	tab := tableOf(ev)
	files := groupFiles(tab)
	clocks := resolveClocks(files, nil, Options{}.withDefaults(), new([]string))
	want := map[string]int64{"naive.log": 3, "notime.log": 2, "zoned.log": 0}
	id := map[string]schema.FileID{}
	for _, f := range files {
		id[f.name] = f.id
	}
	for name, n := range want {
		if got := clocks[id[name]].LeftOut; got != n {
			t.Errorf("%s: LeftOut %d, want %d (%s)", name, got, n, clocks[id[name]].Evidence)
		}
	}
	unresolved := placeEvents(tab, files, clocks, nil)
	for name, n := range want {
		if int64(unresolved[id[name]]) != n {
			t.Errorf("%s: placement left out %d, decision says %d", name, unresolved[id[name]], n)
		}
	}
}
