package correlate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // zone names resolve the same on every machine

	"github.com/logcorr/logcorr/parsers"
)

// logFile is one log file's events in line order.
type logFile struct {
	name    string
	source  string // the most common event source (format)
	events  []Event
	naive   int // timed events with a naive wall clock
	timed   int
	untimed int // events that borrowed no time at all
}

// groupFiles splits the events table by file. An event without a time (a
// bare traceback under a line with none) borrows the time of the next timed
// line of its file (the request line written when the response finished),
// else of the previous one; TimeFrom says which line lent it.
func groupFiles(events []parsers.Event) []*logFile {
	count := map[string]int{}
	for i := range events {
		count[events[i].File]++
	}
	by := make(map[string]*logFile, len(count))
	for name, n := range count {
		by[name] = &logFile{name: name, events: make([]Event, 0, n)}
	}
	for i := range events {
		f := by[events[i].File]
		f.events = append(f.events, Event{Event: events[i]})
	}
	files := make([]*logFile, 0, len(by))
	for _, f := range by {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	for _, f := range files {
		byLine := func(i, j int) bool { return f.events[i].Line < f.events[j].Line }
		if !sort.SliceIsSorted(f.events, byLine) { // the table is in line order already
			sort.SliceStable(f.events, byLine)
		}
		src := map[string]int{}
		next := -1
		for i := len(f.events) - 1; i >= 0; i-- {
			e := &f.events[i]
			src[e.Source]++
			if !e.Time.IsZero() {
				next = i
				continue
			}
			if next >= 0 {
				n := f.events[next]
				e.Time, e.Naive, e.Zone, e.TimeFrom = n.Time, n.Naive, n.Zone, n.Line
			}
		}
		prev := -1
		for i := range f.events {
			e := &f.events[i]
			if e.Time.IsZero() && prev >= 0 {
				p := f.events[prev]
				e.Time, e.Naive, e.Zone, e.TimeFrom = p.Time, p.Naive, p.Zone, p.Line
			}
			if e.Time.IsZero() {
				f.untimed++
				continue
			}
			if e.TimeFrom == 0 {
				prev = i
			}
			f.timed++
			if e.Naive {
				f.naive++
			}
		}
		f.source = mostCommon(src)
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

// process names the process that writes a source's files: files of one
// process share a clock.
func process(source string) string {
	switch source {
	case "django", "auth_debug", "runserver":
		return "django"
	case "locust_auth", "locust_console":
		return "locust"
	}
	return source
}

// resolveClocks decides every file's clock: explicit zones, --tz-source,
// --tz, then inference (cross-correlation, siblings of the same process,
// the load host's name stamp), and says "unknown" when nothing holds.
func resolveClocks(files []*logFile, runs []*Run, opt Options, msgs *[]string) map[string]*fileClock {
	out := map[string]*fileClock{}
	var toInfer []*logFile
	for _, f := range files {
		c := &fileClock{Clock: Clock{File: f.name}}
		out[f.name] = c
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
		leftOut(f, out[f.name])
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
	for i := range f.events {
		if e := &f.events[i]; e.Naive && !e.Time.IsZero() {
			if c.wallLo.IsZero() || e.Time.Before(c.wallLo) {
				c.wallLo = e.Time
			}
			if e.Time.After(c.wallHi) {
				c.wallHi = e.Time
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
func unplacedClocks(clocks map[string]*fileClock, r *Run, margin time.Duration) []Clock {
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
	for _, e := range f.events {
		if e.Naive && !e.Time.IsZero() {
			return e.Time
		}
	}
	return time.Time{}
}

func tzSourceFor(f *logFile, opt Options) (*time.Location, string) {
	for _, k := range []string{f.name, path.Base(f.name), f.source} {
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
	for _, e := range f.events {
		if !e.Time.IsZero() {
			zones[e.Zone]++
			if at.IsZero() {
				at = e.Time
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

// placeEvents applies the clocks and returns the resolved events sorted by
// time, file, line, and per file how many could not be placed. Each file's
// events are nearly always in time order already, so the files are sorted
// on their own (cheaply when ordered) and merged: linear in the events.
func placeEvents(files []*logFile, clocks map[string]*fileClock) ([]Event, map[string]int) {
	return placeEventsKeeping(files, clocks, nil)
}

// placeEventsKeeping is placeEvents that also appends the events it
// cannot place to *unplaced (when not nil), in file then line order, with
// Resolved false and their naive time (zero when they had none).
func placeEventsKeeping(files []*logFile, clocks map[string]*fileClock, unplaced *[]Event) ([]Event, map[string]int) {
	unresolved := map[string]int{}
	var parts [][]Event
	total := 0
	for _, f := range files {
		c := clocks[f.name]
		// In place: the file's events are not needed naive afterwards.
		part := f.events[:0]
		for i := range f.events {
			e := &f.events[i]
			if e.Time.IsZero() {
				unresolved[f.name]++
				if unplaced != nil {
					*unplaced = append(*unplaced, *e)
				}
				continue
			}
			if e.Naive {
				t, ok := c.utc(e.Time)
				if !ok {
					unresolved[f.name]++
					if unplaced != nil {
						*unplaced = append(*unplaced, *e)
					}
					continue
				}
				e.Time = t
			}
			e.Resolved = true
			part = append(part, *e)
		}
		f.events = nil
		if !sort.SliceIsSorted(part, func(i, j int) bool { return eventLess(&part[i], &part[j]) }) {
			sortEvents(part)
		}
		parts = append(parts, part)
		total += len(part)
	}
	// files are sorted by name, so among equal times the earlier part wins.
	out := make([]Event, 0, total)
	heads := make([]int, len(parts))
	for len(out) < total {
		best := -1
		for p, part := range parts {
			if heads[p] < len(part) && (best < 0 || part[heads[p]].Time.Before(parts[best][heads[best]].Time)) {
				best = p
			}
		}
		out = append(out, parts[best][heads[best]])
		heads[best]++
	}
	return out, unresolved
}

// sortEvents sorts by time, file, line. It orders indices and moves each
// (large) event once.
func sortEvents(ev []Event) {
	idx := make([]int32, len(ev))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(i, j int) bool { return eventLess(&ev[idx[i]], &ev[idx[j]]) })
	tmp := make([]Event, len(ev))
	for i, k := range idx {
		tmp[i] = ev[k]
	}
	copy(ev, tmp)
}
