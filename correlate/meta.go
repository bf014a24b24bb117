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
	lost := map[string]int{}
	for _, p := range pending {
		id := consoles[p.row.File][0]
		us, ok := t.timeAtLine(id, p.row.Line)
		if !ok {
			p.from.Meta = append(p.from.Meta, p.row) // no UTC time: as the parser named it
			continue
		}
		var to *Run
		for _, r := range timed {
			if b := bounds[r]; us >= b.lo && us <= b.hi && t.feeds(id, r) {
				to = r
				break
			}
		}
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
