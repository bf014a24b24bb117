package correlate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/logcorr/logcorr/internal/fanout"
	"github.com/logcorr/logcorr/model/schema"
)

// Event series used to infer clocks. "traffic" counts requests as each
// side sees them; "errors" counts failures; "lifecycle" marks the seconds a
// Locust run started and stopped.
const (
	seriesTraffic   = "traffic"
	seriesErrors    = "errors"
	seriesLifecycle = "lifecycle"
)

// isTraffic: a request as one side sees it.
func isTraffic(k schema.EventKind) bool {
	switch k {
	case schema.KindRequest, schema.KindAuthRequest, schema.KindLoginAttempt:
		return true
	}
	return false
}

// IsError reports whether an event is a failure as its source sees it: a
// server error or traceback, an auth or login failure, a pooler error, a
// 5xx request line. Incidents, clock inference and the timeline count the
// same events through it.
func (e Event) IsError() bool {
	switch e.Kind() {
	case schema.KindServerError, schema.KindUnhandled, schema.KindAuthFailure,
		schema.KindLoginFailure, schema.KindPoolerError, schema.KindTraceback:
		return true
	case schema.KindRequest:
		s, ok := e.Status()
		return ok && s >= 500
	}
	return false
}

// reference is a UTC series other files are compared with.
type reference struct {
	label string
	kind  string
	s     Series
}

// locustReferences derives per-second requests and failures from the runs'
// cumulative history totals (finer than Locust's smoothed RPS), and the
// runs' first and last history seconds.
func locustReferences(runs []*Run) []reference {
	var traffic, errs, life weightedSeconds
	for _, r := range runs {
		// Locust logs its start, "All users spawned" and its stop: mark
		// the window's start, the first second at full users, and the
		// seconds after the window's end (the stop follows the last
		// request by a few seconds).
		if !r.Start.IsZero() {
			for d := int64(-1); d <= 1; d++ {
				life.add(r.Start.Unix()+d, 1)
			}
			for d := int64(0); d <= 3; d++ {
				life.add(r.End.Unix()+d, 1)
			}
		}
		h := r.History
		if len(h) == 0 {
			continue
		}
		for i := range h {
			if h[i].Users == r.UsersMax && r.UsersMax > 0 {
				for d := int64(-1); d <= 1; d++ {
					life.add(h[i].Time.Unix()+d, 1)
				}
				break
			}
		}
		for i := range h {
			sec := h[i].Time.Unix()
			if i == 0 {
				continue
			}
			dr := h[i].TotalRequests - h[i-1].TotalRequests
			df := h[i].TotalFailures - h[i-1].TotalFailures
			if dr > 0 {
				traffic.add(sec, float64(dr))
			} else if h[i].TotalRequests == 0 && h[i].RPS != nil {
				traffic.add(sec, *h[i].RPS)
			}
			if df > 0 {
				errs.add(sec, float64(df))
			} else if h[i].TotalFailures == 0 && h[i].FPS != nil {
				errs.add(sec, *h[i].FPS)
			}
		}
	}
	var out []reference
	for _, x := range []struct {
		kind, label string
		b           *weightedSeconds
	}{{seriesTraffic, "Locust requests/s (history)", &traffic}, {seriesErrors, "Locust failures/s (history)", &errs}, {seriesLifecycle, "Locust run start/stop (history)", &life}} {
		if s := x.b.series(); s.Events() > 0 {
			out = append(out, reference{label: x.label, kind: x.kind, s: s})
		}
	}
	return out
}

// fileReferences are the traffic and error series of files whose clock is
// already settled (explicit zone or given), on UTC.
func fileReferences(f *logFile, c *fileClock) []reference {
	var traffic, errs []int64
	for e := range f.rows() {
		us := f.t.tim[e.row]
		if us == noTime {
			continue
		}
		if e.Naive() {
			var ok bool
			if us, ok = c.utcMicro(us); !ok {
				continue
			}
		}
		sec := floorDiv(us, 1e6)
		if isTraffic(e.Kind()) {
			traffic = append(traffic, sec)
		}
		if e.IsError() {
			errs = append(errs, sec)
		}
	}
	var out []reference
	if len(traffic) > 0 {
		out = append(out, reference{label: f.name + " " + seriesTraffic, kind: seriesTraffic, s: CountSeconds(traffic, 1)})
	}
	if len(errs) > 0 {
		out = append(out, reference{label: f.name + " " + seriesErrors, kind: seriesErrors, s: CountSeconds(errs, 1)})
	}
	return out
}

// naiveSeries builds a naive file's series on its wall clock (Unix
// seconds of the wall clock read as UTC) in one pass over its time column:
// every event's (the lifecycle marks), and its traffic and error events'
// counts. Events that borrowed another line's time are left out, so a
// traceback is not counted twice. No per-event list is made: a file's
// rows are in time order but for a few, and the series cost what their
// distinct seconds cost (1 GB folder: 166 MB of per-event seconds before).
func naiveSeries(f *logFile) map[string]Series {
	all, traffic, errs := seriesBuilder{mark: true}, seriesBuilder{}, seriesBuilder{}
	for e := range f.rows() {
		us := f.t.tim[e.row]
		if us == noTime || e.Borrowed() || !e.Naive() {
			continue
		}
		sec := floorDiv(us, 1e6)
		all.add(sec)
		if isTraffic(e.Kind()) {
			traffic.add(sec)
		}
		if e.IsError() {
			errs.add(sec)
		}
	}
	out := map[string]Series{}
	if traffic.n > 0 {
		out[seriesTraffic] = traffic.series()
	}
	if errs.n > 0 {
		out[seriesErrors] = errs.series()
	}
	if all.n > 0 {
		out[seriesLifecycle] = all.series()
	}
	return out
}

// sameFolderTree reports whether files a and b may share evidence: both found
// under one folder given on the command line, or either named itself.
func sameFolderTree(a, b *logFile) bool {
	ra, rb := a.t.root[a.id], b.t.root[b.id]
	return ra == "" || rb == "" || ra == rb
}

// inferClocks estimates the offsets of the files with naive times. A file
// is compared only with the Locust runs it may feed and the settled files
// of its own folder tree: with several folders given (other nights, other
// hosts), another folder's load curve is not this log's, and a match
// against it would be a confident wrong clock.
func inferClocks(toInfer, files []*logFile, clocks map[schema.FileID]*fileClock, runs []*Run, opt Options, msgs *[]string) {
	byTree := map[string][]reference{} // references by the folder a file was found under
	refsOf := func(f *logFile) []reference {
		root := f.t.root[f.id]
		if refs, ok := byTree[root]; ok {
			return refs
		}
		var mine []*Run
		for _, r := range runs {
			if f.t.feeds(f.id, r) {
				mine = append(mine, r)
			}
		}
		refs := locustReferences(mine)
		for _, g := range files {
			c := clocks[g.id]
			if sameFolderTree(f, g) && (c.Method == "explicit" || c.Method == "tz-flag" || c.Method == "tz-source") {
				refs = append(refs, fileReferences(g, c)...)
			}
		}
		byTree[root] = refs
		return refs
	}
	// The references are gathered first (they read only the settled
	// clocks, which inference does not change); then each file is
	// estimated on its own core, writing only its own clock.
	refs := make([][]reference, len(toInfer))
	for i, f := range toInfer {
		refs[i] = refsOf(f)
	}
	fanout.Each(len(toInfer), func(i int) { estimateClock(toInfer[i], clocks[toInfer[i].id], refs[i]) })
	inferFromSiblings(toInfer, files, clocks, runs, opt, msgs)
}

// estimateClock sets the clock of naive file f from the best match of its
// series against the references, or says why none matched.
func estimateClock(f *logFile, c *fileClock, refs []reference) {
	tgt := naiveSeries(f)
	var best OffsetEstimate
	var bestRef string
	var whyNot []string
	for _, r := range refs {
		if r.kind == seriesLifecycle && process(f.source) != "locust" {
			continue
		}
		s, ok := tgt[r.kind]
		if !ok {
			continue
		}
		search := DefaultSearch
		if r.kind == seriesLifecycle {
			// A console log has few lines, but start and stop are sharp.
			search.MinEvents = 2
		}
		est := EstimateOffset(s, r.s, search)
		if !est.OK {
			whyNot = append(whyNot, fmt.Sprintf("%s vs %s: %s", r.kind, r.label, est.Reason))
			continue
		}
		if !best.OK || est.Confidence > best.Confidence {
			best, bestRef = est, r.label
		}
	}
	if best.OK {
		c.Method, c.OffsetS, c.Zone, c.fixed = "cross-correlation", best.OffsetS, offsetZone(best.OffsetS), true
		c.Confidence, c.LagS = best.Confidence, float64(best.LagS)
		c.Evidence = fmt.Sprintf("%s against %s: %s", f.name, bestRef, best.Reason)
		return
	}
	c.Method, c.Zone = "unknown", "unknown"
	if len(whyNot) == 0 {
		c.Evidence = "no series to compare (no Locust history, no file with a known zone, no traffic or error lines)"
	} else {
		sort.Strings(whyNot)
		c.Evidence = "cross-correlation failed: " + joinMax(whyNot, 3)
	}
}

// inferFromSiblings gives a file that could not be estimated the clock of
// a sibling of its process, and says where siblings disagree.
func inferFromSiblings(toInfer, files []*logFile, clocks map[schema.FileID]*fileClock, runs []*Run, opt Options, msgs *[]string) {
	// Files of one process share its clock.
	byProc := map[string][]*logFile{}
	for _, f := range files {
		byProc[process(f.source)] = append(byProc[process(f.source)], f)
	}
	for _, f := range toInfer {
		c := clocks[f.id]
		if c.Method != "unknown" {
			continue
		}
		var donor *fileClock
		for _, g := range byProc[process(f.source)] {
			d := clocks[g.id]
			if g == f || d.Method != "cross-correlation" || !sameFolderTree(f, g) {
				continue
			}
			// Prefer a sibling in the same folder, then the most confident.
			if donor == nil || better(g.name, d, donor, f.name) {
				donor = d
			}
		}
		if donor != nil {
			c.Method, c.OffsetS, c.Zone, c.fixed = "same-host", donor.OffsetS, donor.Zone, true
			c.Confidence = round3(donor.Confidence * 0.7)
			c.Evidence = fmt.Sprintf("written by the same process as %s (%s, %s); own lines too few to estimate (%s)", donor.File, donor.Zone, donor.Method, c.Evidence)
			continue
		}
		if process(f.source) == "locust" {
			stampDonor(f, c, runs, opt)
		}
	}
	// Siblings should agree.
	procs := make([]string, 0, len(byProc))
	for p := range byProc {
		procs = append(procs, p)
	}
	sort.Strings(procs)
	for _, p := range procs {
		var seen []*fileClock
		for _, f := range byProc[p] {
			c := clocks[f.id]
			if c.Method == "unknown" || c.Method == "explicit" {
				continue
			}
			for _, o := range seen {
				if o.OffsetS != c.OffsetS && path.Dir(o.File) == path.Dir(c.File) {
					*msgs = append(*msgs, fmt.Sprintf("clock: %s (%s, %s) and %s (%s, %s) are written by the same kind of process but disagree", o.File, o.Zone, o.Method, c.File, c.Zone, c.Method))
				}
			}
			seen = append(seen, c)
		}
	}
}

func better(name string, d, cur *fileClock, target string) bool {
	same := path.Dir(name) == path.Dir(target)
	curSame := path.Dir(cur.File) == path.Dir(target)
	if same != curSame {
		return same
	}
	if d.Confidence != cur.Confidence {
		return d.Confidence > cur.Confidence
	}
	return name < cur.File
}

// stampDonor gives a Locust-side file the load host's offset from a run's
// name stamp, when that offset puts the file's lines inside the run: the
// first run (in time order) that any of its lines falls in, found by binary
// search on the file's sorted wall-clock times, not by a scan per run.
func stampDonor(f *logFile, c *fileClock, runs []*Run, opt Options) {
	var wall []int64 // Unix ns of the naive wall clocks read as UTC
	for e := range f.rows() {
		if us := f.t.tim[e.row]; us != noTime && e.Naive() {
			wall = append(wall, us*1000)
		}
	}
	if !slices.IsSorted(wall) {
		slices.Sort(wall)
	}
	for _, r := range runs {
		for _, rc := range r.Clock {
			if rc.Method != "file-name-stamp" {
				continue
			}
			off := time.Duration(rc.OffsetS) * time.Second
			lo, hi := r.Start.Add(-opt.Margin).Add(off).UnixNano(), r.End.Add(opt.Margin).Add(off).UnixNano()
			if i, _ := slices.BinarySearch(wall, lo); i < len(wall) && wall[i] <= hi {
				c.Method, c.OffsetS, c.Zone, c.fixed = "same-host", rc.OffsetS, rc.Zone, true
				c.Confidence = round3(rc.Confidence * 0.6)
				c.Evidence = fmt.Sprintf("load host's offset from run %s's name stamp (%s); own lines too few to estimate", r.Name, rc.Zone)
				return
			}
		}
	}
}

func joinMax(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, "; ")
	}
	return strings.Join(s[:n], "; ") + fmt.Sprintf("; and %d more", len(s)-n)
}
