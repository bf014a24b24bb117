package correlate

import (
	"container/heap"
	"fmt"
	"iter"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // zone names resolve the same on every machine

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// logFile is one log file's rows of the events table.
type logFile struct {
	t       *Table
	id      schema.FileID
	name    string
	source  schema.SourceKind // the most common event source (format)
	lo, hi  int32             // its rows, in line order
	naive   int               // timed events with a naive wall clock
	timed   int
	untimed int // events that borrowed no time at all
}

// rows yields the file's events in line order.
func (f *logFile) rows() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		for r := f.lo; r < f.hi; r++ {
			if !yield(f.t.Event(r)) {
				return
			}
		}
	}
}

// groupFiles lists the files that have events, sorted by path. An event
// without a time (a bare traceback under a line with none) borrows the
// time of the next timed line of its file (the request line written when
// the response finished), else of the previous one (Table.lender says
// which line lent it).
func groupFiles(t *Table) []*logFile {
	var files []*logFile
	for id := range t.files {
		lo, hi := t.fileRows(schema.FileID(id))
		if hi > lo {
			files = append(files, &logFile{t: t, id: schema.FileID(id), name: t.files[id].Path, lo: lo, hi: hi})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	for _, f := range files {
		var src [256]int
		next := int32(-1)
		for r := f.hi - 1; r >= f.lo; r-- {
			e := t.Event(r)
			src[e.Source()]++
			if t.tim[r] != noTime {
				next = r
				continue
			}
			if next >= 0 {
				t.lend(r, next)
			}
		}
		prev := int32(-1)
		for r := f.lo; r < f.hi; r++ {
			if t.tim[r] == noTime && prev >= 0 {
				t.lend(r, prev)
			}
			if t.tim[r] == noTime {
				f.untimed++
				continue
			}
			e := t.Event(r)
			if !e.Borrowed() {
				prev = r
			}
			f.timed++
			if e.Naive() {
				f.naive++
			}
		}
		best := -1
		for k, n := range src {
			if n > 0 && (best < 0 || n > src[best] || (n == src[best] && schema.SourceKind(k).String() < schema.SourceKind(best).String())) {
				best = k
			}
		}
		f.source = schema.SourceKind(best)
	}
	return files
}

func mostCommon(m map[string]int) string {
	best, n := "", -1
	for k, v := range m {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

// fileClock is a file's clock decision plus how to apply it.
type fileClock struct {
	Clock
	loc   *time.Location // zone applied per event (DST-correct)
	fixed bool           // OffsetS applied as a fixed offset
	// wallLo, wallHi bound the file's naive wall clocks (read as UTC):
	// where its events could lie when its offset is unknown.
	wallLo, wallHi time.Time
}

// utc converts a naive wall clock read as UTC; ok is false when unknown.
func (c *fileClock) utc(t time.Time) (time.Time, bool) {
	switch {
	case c.loc != nil:
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), c.loc).UTC(), true
	case c.fixed:
		return t.Add(-time.Duration(c.OffsetS) * time.Second), true
	}
	return t, false
}

// utcMicro is utc over µs since the epoch.
func (c *fileClock) utcMicro(us int64) (int64, bool) {
	switch {
	case c.fixed:
		return us - c.OffsetS*1e6, true
	case c.loc != nil:
		t, _ := c.utc(time.UnixMicro(us).UTC())
		return t.UnixMicro(), true
	}
	return us, false
}

// process names the process that writes a source's files: files of one
// process share a clock. Files of the same format that is no process's
// (a CSV read as events) share one too.
func process(source schema.SourceKind) string {
	if p := source.Process(); p != schema.ProcessNone {
		return p.String()
	}
	return source.String()
}

// resolveClocks decides every file's clock: explicit zones, --tz-source,
// --tz, then inference (cross-correlation, siblings of the same process,
// the load host's name stamp), and says "unknown" when nothing holds.
func resolveClocks(files []*logFile, runs []*Run, opt Options, msgs *[]string) map[schema.FileID]*fileClock {
	out := map[schema.FileID]*fileClock{}
	var toInfer []*logFile
	for _, f := range files {
		c := &fileClock{Clock: Clock{File: f.name}}
		out[f.id] = c
		switch {
		case f.timed == 0:
			c.Zone, c.Method, c.Evidence = "unknown", "unknown", "no timestamps in the file"
		case f.naive == 0:
			explicitClock(c, f, opt)
		default:
			if loc, key := tzSourceFor(f, opt); loc != nil {
				c.loc, c.Method, c.Zone, c.Confidence = loc, "tz-source", loc.String(), 1
				c.OffsetS = zoneOffsetAt(loc, firstNaive(f))
				c.Evidence = fmt.Sprintf("--tz-source %s=%s", key, loc)
			} else if opt.TZ != nil {
				c.loc, c.Method, c.Zone, c.Confidence = opt.TZ, "tz-flag", opt.TZ.String(), 1
				c.OffsetS = zoneOffsetAt(opt.TZ, firstNaive(f))
				c.Evidence = fmt.Sprintf("--tz %s", opt.TZ)
			} else {
				toInfer = append(toInfer, f)
			}
		}
	}
	if len(toInfer) > 0 {
		inferClocks(toInfer, files, out, runs, opt, msgs)
	}
	for _, f := range files {
		leftOut(f, out[f.id])
	}
	return out
}

// leftOut counts the file's events that cannot be put on UTC, and says so
// in the decision: they are in no run, and every output must show it.
func leftOut(f *logFile, c *fileClock) {
	c.LeftOut = int64(f.untimed)
	if c.loc == nil && !c.fixed { // placeEvents cannot convert its naive times
		c.LeftOut += int64(f.naive)
	}
	for e := range f.rows() {
		if e.Naive() && f.t.tim[e.row] != noTime {
			if t := e.Time(); c.wallLo.IsZero() || t.Before(c.wallLo) {
				c.wallLo = t
			}
			if t := e.Time(); t.After(c.wallHi) {
				c.wallHi = t
			}
		}
	}
	if c.LeftOut > 0 {
		c.Evidence += fmt.Sprintf("; %d event(s) left out of every run", c.LeftOut)
	}
}

// unplacedClocks are the decisions of files whose events are left out
// (LeftOut > 0) and could belong to run r: their wall clocks, under any
// offset from −12 h to +14 h, reach r's window (a file with no times could
// belong to any run). A run shows them so that no output is silent about
// evidence it may lack.
func unplacedClocks(clocks map[schema.FileID]*fileClock, r *Run, margin time.Duration) []Clock {
	var out []Clock
	lo, hi := r.Start.Add(-margin), r.End.Add(margin)
	for _, c := range clocks {
		if c.LeftOut == 0 || slices.Contains(r.Logs, c.File) {
			continue
		}
		if !c.wallLo.IsZero() {
			earliest := c.wallLo.Add(-time.Duration(DefaultSearch.MaxOffsetS) * time.Second)
			latest := c.wallHi.Add(-time.Duration(DefaultSearch.MinOffsetS) * time.Second)
			if latest.Before(lo) || earliest.After(hi) {
				continue
			}
		}
		out = append(out, c.Clock)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

func firstNaive(f *logFile) time.Time {
	for e := range f.rows() {
		if e.Naive() && f.t.tim[e.row] != noTime {
			return e.Time()
		}
	}
	return time.Time{}
}

func tzSourceFor(f *logFile, opt Options) (*time.Location, string) {
	for _, k := range []string{f.name, path.Base(f.name), f.source.String()} {
		if loc := opt.TZSource[k]; loc != nil && k != "" {
			return loc, k
		}
	}
	return nil, ""
}

// explicitClock describes a file whose lines carried their zone (or an
// epoch): the parser already converted them to UTC.
func explicitClock(c *fileClock, f *logFile, opt Options) {
	zones := map[string]int{}
	var at time.Time
	for e := range f.rows() {
		if f.t.tim[e.row] != noTime {
			zones[e.Zone()]++
			if at.IsZero() {
				at = e.Time()
			}
		}
	}
	z := mostCommon(zones)
	c.Method, c.Confidence = "explicit", 1
	if opt.TZ != nil && z == opt.TZ.String() {
		c.Method = "tz-flag"
	}
	if z == "" {
		z = "UTC"
	}
	c.Zone = z
	if off, ok := zoneOffset(z, at); ok {
		c.OffsetS = off
		c.Evidence = fmt.Sprintf("zone %q printed in the lines (%s); converted to UTC by the parser", z, offsetZone(off))
	} else {
		c.Evidence = fmt.Sprintf("zone %q printed in the lines; converted to UTC by the parser (offset not known here)", z)
	}
	if len(zones) > 1 {
		var names []string
		for k := range zones {
			names = append(names, k)
		}
		sort.Strings(names)
		c.Evidence += "; zones seen: " + strings.Join(names, ", ")
	}
}

// zoneOffset reads a zone as printed or applied: what parsers.ZoneOffset
// reads (an abbreviation or a numeric offset), the same offset behind
// "UTC" or "GMT" ("UTC+07:00", as offsetZone writes it), or a zone name.
func zoneOffset(z string, at time.Time) (int64, bool) {
	if off, _, ok := parsers.ZoneOffset(z); ok {
		return int64(off), true
	}
	if num := strings.TrimPrefix(strings.TrimPrefix(z, "UTC"), "GMT"); num != z && num != "" && (num[0] == '+' || num[0] == '-') {
		if off, _, ok := parsers.ZoneOffset(num); ok {
			return int64(off), true
		}
	}
	if strings.Contains(z, "/") {
		if loc, err := time.LoadLocation(z); err == nil {
			return zoneOffsetAt(loc, at), true
		}
	}
	return 0, false
}

// zoneOffsetAt is loc's offset at the instant whose wall clock in loc is t
// (t's fields read as wall clock).
func zoneOffsetAt(loc *time.Location, t time.Time) int64 {
	if t.IsZero() {
		t = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	_, off := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc).Zone()
	return int64(off)
}

// placeEvents applies the clocks to the time column (into UTC, in place)
// and orders the placed rows by time, file path, line; it returns per file
// how many rows could not be placed. Each file's rows are nearly always in
// time order already, so the files are sorted on their own (cheaply when
// ordered) and merged: the order moves 4-byte row numbers, never events.
// The rows it cannot place are appended to *unplaced (when not nil), in
// file then line order.
func placeEvents(t *Table, files []*logFile, clocks map[schema.FileID]*fileClock, unplaced *[]int32) map[schema.FileID]int {
	unresolved := map[schema.FileID]int{}
	var parts [][]int32
	total := 0
	for _, f := range files {
		c := clocks[f.id]
		part := make([]int32, 0, f.hi-f.lo)
		for r := f.lo; r < f.hi; r++ {
			us := t.tim[r]
			if us == noTime {
				unresolved[f.id]++
				if unplaced != nil {
					*unplaced = append(*unplaced, r)
				}
				continue
			}
			if t.Event(r).Naive() {
				u, ok := c.utcMicro(us)
				if !ok {
					unresolved[f.id]++
					if unplaced != nil {
						*unplaced = append(*unplaced, r)
					}
					continue
				}
				t.tim[r] = u
			}
			t.placed[r] = true
			part = append(part, r)
		}
		if !slices.IsSortedFunc(part, t.cmp) {
			slices.SortStableFunc(part, t.cmp)
		}
		parts = append(parts, part)
		total += len(part)
	}
	t.order = mergeParts(t, parts, total)
	return unresolved
}

// cmp is less as a three-way comparison.
func (t *Table) cmp(a, b int32) int {
	switch {
	case t.less(a, b):
		return -1
	case t.less(b, a):
		return 1
	}
	return 0
}

// mergeParts merges the files' sorted row lists (given in path order) into
// one, by time; among equal times the earlier part wins.
func mergeParts(t *Table, parts [][]int32, total int) []int32 {
	out := make([]int32, 0, total)
	h := make(partHeap, 0, len(parts))
	for p, part := range parts {
		if len(part) > 0 {
			h = append(h, partHead{t.tim[part[0]], p, 0})
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := &h[0]
		part := parts[top.part]
		out = append(out, part[top.next])
		top.next++
		if top.next < len(part) {
			top.us = t.tim[part[top.next]]
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return out
}

type partHead struct {
	us   int64
	part int
	next int
}

type partHeap []partHead

func (h partHeap) Len() int { return len(h) }
func (h partHeap) Less(i, j int) bool {
	if h[i].us != h[j].us {
		return h[i].us < h[j].us
	}
	return h[i].part < h[j].part
}
func (h partHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *partHeap) Push(x any)   { *h = append(*h, x.(partHead)) }
func (h *partHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
