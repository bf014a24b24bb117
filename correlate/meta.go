package correlate

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// A Locust console log may hold several runs (one "Starting Locust" block
// each); its parser names them all after the run the log names last (its
// --html report). The facts it states (users, spawn rate, tags, the
// command line) belong to the run whose time they were printed in: each
// meta row sits on a console record, whose time, once the console's clock
// is placed, falls inside one run's slice of the logs. assignConsoleMeta
// gives each row to that run, and to no run when its time lies in none.
// A row whose record has no UTC time keeps the parser's run.
func assignConsoleMeta(t *Table, runs []*Run, bounds map[*Run]timeBounds, msgs *[]string) {
	consoles := map[string][]schema.FileID{} // display path → console files
	for id, f := range t.files {
		if f.Format == schema.SourceLocustConsole {
			consoles[f.Path] = append(consoles[f.Path], schema.FileID(id))
		}
	}
	if len(consoles) == 0 {
		return
	}
	type moved struct {
		row  parsers.MetaRow
		from *Run
	}
	var pending []moved
	for _, r := range runs {
		kept := r.Meta[:0:0]
		for _, m := range r.Meta {
			if ids, ok := consoles[m.File]; ok && len(ids) == 1 {
				pending = append(pending, moved{m, r})
				continue
			}
			kept = append(kept, m)
		}
		r.Meta = kept
	}
	timed := make([]*Run, 0, len(runs))
	for _, r := range runs {
		if _, ok := bounds[r]; ok {
			timed = append(timed, r)
		}
	}
	idx := newSliceIndex(timed, bounds)
	lost := map[string]int{}
	for _, p := range pending {
		id := consoles[p.row.File][0]
		us, ok := t.timeAtLine(id, p.row.Line)
		if !ok {
			p.from.Meta = append(p.from.Meta, p.row) // no UTC time: as the parser named it
			continue
		}
		to := idx.first(us, func(r *Run) bool { return t.feeds(id, r) })
		if to == nil {
			lost[p.row.File]++
			continue
		}
		p.row.Run = to.Name
		to.Meta = append(to.Meta, p.row)
		if i := sort.SearchStrings(to.Files, p.row.File); i == len(to.Files) || to.Files[i] != p.row.File {
			to.Files = append(to.Files, "")
			copy(to.Files[i+1:], to.Files[i:])
			to.Files[i] = p.row.File
		}
	}
	for _, r := range runs {
		sort.SliceStable(r.Meta, func(i, j int) bool {
			if r.Meta[i].File != r.Meta[j].File {
				return r.Meta[i].File < r.Meta[j].File
			}
			return r.Meta[i].Line < r.Meta[j].Line
		})
		// A console log is a run's file only while the run holds a fact
		// of it (or a row of another table names it).
		for _, f := range r.Files {
			if _, ok := consoles[f]; !ok {
				continue
			}
			has := false
			for _, m := range r.Meta {
				if m.File == f {
					has = true
					break
				}
			}
			if !has {
				r.Files = removeString(r.Files, f)
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(lost)) {
		*msgs = append(*msgs, fmt.Sprintf("%s: %d Locust setting(s) printed outside every run's window (their Locust run left no CSV or report): given to no run", f, lost[f]))
	}
}

// timeBounds is a run's slice of the logs in whole µs, both ends in.
type timeBounds struct{ lo, hi int64 }

// sliceIndex finds, for a time, the first run (in the order given) whose
// slice holds it, without reading every run: a console's thousands of
// settings against thousands of runs were a scan of every run for each
// (1 GB folder: 21,582 × 2,815, 0.3 s).
type sliceIndex struct {
	runs  []*Run       // in the order given
	byLo  []int        // indices into runs, by slice start
	b     []timeBounds // b[i]: runs[byLo[i]]'s slice
	maxHi []int64      // maxHi[i]: the latest end among b[:i+1]
}

func newSliceIndex(runs []*Run, bounds map[*Run]timeBounds) *sliceIndex {
	x := &sliceIndex{runs: runs, byLo: make([]int, len(runs))}
	for i := range x.byLo {
		x.byLo[i] = i
	}
	sort.SliceStable(x.byLo, func(i, j int) bool { return bounds[runs[x.byLo[i]]].lo < bounds[runs[x.byLo[j]]].lo })
	x.b = make([]timeBounds, len(runs))
	x.maxHi = make([]int64, len(runs))
	for i, k := range x.byLo {
		x.b[i] = bounds[runs[k]]
		x.maxHi[i] = x.b[i].hi
		if i > 0 {
			x.maxHi[i] = max(x.maxHi[i], x.maxHi[i-1])
		}
	}
	return x
}

// first is the first run, in the order given, whose slice holds us
// (lo <= us <= hi) and that ok accepts; nil when none does.
func (x *sliceIndex) first(us int64, ok func(*Run) bool) *Run {
	// Slices starting after us cannot hold it; of the rest, read back
	// while some slice up to here still ends at or after us.
	n := sort.Search(len(x.b), func(i int) bool { return x.b[i].lo > us })
	best := -1
	for i := n - 1; i >= 0 && x.maxHi[i] >= us; i-- {
		if k := x.byLo[i]; x.b[i].hi >= us && (best < 0 || k < best) && ok(x.runs[k]) {
			best = k
		}
	}
	if best < 0 {
		return nil
	}
	return x.runs[best]
}

// timeAtLine is the UTC time of file id's record that holds line n: the
// last record starting at or before it.
func (t *Table) timeAtLine(id schema.FileID, n int64) (int64, bool) {
	lo, hi := t.fileRows(id)
	i := sort.Search(int(hi-lo), func(i int) bool { return t.Event(lo+int32(i)).Line() > n }) - 1
	if i < 0 {
		return 0, false
	}
	return t.UTC(lo + int32(i))
}

func removeString(s []string, v string) []string {
	out := s[:0]
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
