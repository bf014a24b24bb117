package correlate

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/logcorr/logcorr/internal/fanout"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// Defaults for Options left zero.
const (
	DefaultMargin        = 2 * time.Minute
	DefaultLinkTolerance = 3 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Margin <= 0 {
		o.Margin = DefaultMargin
	}
	if o.LinkTolerance <= 0 {
		o.LinkTolerance = DefaultLinkTolerance
	}
	return o
}

// Analyze puts every parsed source on one UTC clock, cuts the logs into
// Locust runs and links the events that belong together. The output depends
// only on ds and opt: everything is sorted, nothing reads the machine's zone.
func Analyze(ds *schema.Dataset, opt Options) (*Analysis, error) {
	if ds == nil {
		return nil, errors.New("correlate: no dataset")
	}
	opt = opt.withDefaults()
	in, err := readLocust(ds, opt.ReleaseLocust)
	if err != nil {
		return nil, err
	}
	t := newTable(ds)
	a := &Analysis{Sources: ds.Audits(), Events: t}

	// Every run serves as clock evidence, selected or not.
	all := buildRuns(in, &a.Messages)
	if len(all) == 0 {
		a.Messages = append(a.Messages, noRunReasons(a.Sources)...)
	}
	attachRunFiles(all, a.Sources)
	files := groupFiles(t)
	clocks := resolveClocks(files, all, opt, &a.Messages)
	auditZones(ds, files, clocks)
	for _, f := range files {
		a.Clocks = append(a.Clocks, clocks[f.id].Clock)
	}
	// A log file that yielded no event still gets its (empty) decision.
	decided := map[string]bool{}
	for _, f := range files {
		decided[f.name] = true
	}
	for _, au := range a.Sources {
		if au.Path == "" || au.Run != "" || au.Tables[parsers.TableEvents] > 0 || decided[au.Path] {
			continue
		}
		switch au.Format {
		case "locust_csv", "locust_html":
			continue
		}
		a.Clocks = append(a.Clocks, Clock{File: au.Path, Zone: "unknown", Method: "unknown",
			Evidence: fmt.Sprintf("no events parsed (format %s, %d lines)", au.Format, au.Lines)})
	}
	sort.SliceStable(a.Clocks, func(i, j int) bool { return a.Clocks[i].File < a.Clocks[j].File })
	var unplaced []int32
	keep := &unplaced
	if !opt.KeepOutside {
		keep = nil
	}
	unresolved := placeEvents(t, files, clocks, keep)
	for _, f := range files {
		if n := unresolved[f.id]; n > 0 {
			a.Messages = append(a.Messages, fmt.Sprintf("%s: %d event(s) have no UTC time (clock offset unknown; give --tz or --tz-source) and were left out of every run", f.name, n))
		}
	}

	bounds := sliceBounds(all, opt.Margin)
	us := make(map[*Run]timeBounds, len(bounds))
	for r, b := range bounds {
		us[r] = timeBounds{ceilMicro(b[0]), floorMicro(b[1])}
	}
	assignConsoleMeta(t, all, us, &a.Messages)
	// A run the console's parser named, whose every fact went to the runs
	// they were printed in, is no run: nothing of it is left to report (it
	// would read "clean"). A wrapper that renames the CSV set after the
	// run (PREFIX_20261129_202629_stats.csv) leaves one such name.
	all = slices.DeleteFunc(all, husk)

	// Which files reach any run window.
	reached := map[schema.FileID]bool{}
	for _, r := range all {
		if r.Start.IsZero() {
			continue
		}
		for _, row := range t.slice(t.window(r.Start.Add(-opt.Margin), r.End.Add(opt.Margin)), r, nil) {
			reached[t.batches[t.bat[row]].file] = true
		}
	}
	for _, f := range files {
		if unresolved[f.id] == f.timed+f.untimed || reached[f.id] {
			continue
		}
		a.Orphans = append(a.Orphans, f.name)
		a.Messages = append(a.Messages, fmt.Sprintf("%s: no event falls inside any run window (±%s); not used", f.name, opt.Margin))
	}

	a.Runs = all
	// Runs are filled on every core: fillRun reads the table, the clocks
	// and the bounds, and writes only its run and its own slots here,
	// merged in run order below (as one loop would have left them).
	others := make([]map[schema.FileID]int, len(a.Runs))
	msgs := make([][]string, len(a.Runs))
	fanout.Each(len(a.Runs), func(i int) {
		r := a.Runs[i]
		others[i] = fillRun(r, t, clocks, bounds[r], opt, &msgs[i])
	})
	withheld := map[schema.FileID]map[*Run]int{}
	for i, r := range a.Runs {
		a.Messages = append(a.Messages, msgs[i]...)
		for id, n := range others[i] {
			if withheld[id] == nil {
				withheld[id] = map[*Run]int{}
			}
			withheld[id][r] = n
		}
	}
	foreignEvents(ds, a, withheld)
	a.Sources = ds.Audits() // with what correlation told the audits
	// Each run's own facts read its events and its neighbours' windows
	// (set before fillRun), and write only the run's Own.
	idx := newRunIndex(a.Runs)
	memo := newPoolMemo()
	fanout.Each(len(a.Runs), func(i int) { computeOwn(a.Runs[i], a.Runs, idx, memo) })
	if opt.KeepOutside {
		a.Outside = Events{t: t, rows: append(t.outside(bounds), unplaced...)}
	}
	return a, nil
}

// foreignEvents says, in the analysis' messages and in each file's audit,
// which events of a log fell inside the window of a run found under
// another folder, and were not given to it (Table.feeds).
func foreignEvents(ds *schema.Dataset, a *Analysis, withheld map[schema.FileID]map[*Run]int) {
	ids := make([]schema.FileID, 0, len(withheld))
	for id := range withheld {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return a.Events.rank[ids[i]] < a.Events.rank[ids[j]] })
	var total int
	for _, id := range ids {
		var names []string
		n := 0
		for _, r := range a.Runs {
			if k := withheld[id][r]; k > 0 {
				names = append(names, r.Name)
				n = max(n, k)
			}
		}
		total += n
		f := ds.Files[id]
		ds.Files[id].Audit.Messages = append(ds.Files[id].Audit.Messages,
			fmt.Sprintf("%s: %d event(s) fell inside the windows of %d run(s) found under other folders (%s) and were not given to them: a log found under %s feeds only the runs found there",
				f.Path, n, len(names), strings.Join(names, ", "), f.Root))
	}
	if len(ids) > 0 {
		a.Messages = append(a.Messages, fmt.Sprintf("%d event(s) of %d log file(s) fell inside the windows of runs found under other folders and were not given to them (each log feeds only the runs found in its own folder; the sources' messages say which)", total, len(ids)))
	}
}

// auditZones writes into the audits of the files whose naive clocks took
// a zone the user gave (--tz, --tz-source) how their times were read:
// correlation applies those zones, so the parse audit learns them here.
func auditZones(ds *schema.Dataset, files []*logFile, clocks map[schema.FileID]*fileClock) {
	for _, f := range files {
		c := clocks[f.id]
		if f.naive == 0 || (c.Method != "tz-flag" && c.Method != "tz-source") {
			continue
		}
		zone, reason := c.Zone, "naive local time read in "+c.Evidence
		ds.Files[f.id].Audit.Zone, ds.Files[f.id].Audit.ZoneReason = zone, reason
	}
}

// outside returns the placed rows (in order) that no run's slice holds.
func (t *Table) outside(bounds map[*Run][2]time.Time) []int32 {
	spans := make([][2]int64, 0, len(bounds))
	for _, b := range bounds {
		spans = append(spans, [2]int64{ceilMicro(b[0]), floorMicro(b[1])})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var out []int32
	k := 0
	reach := int64(noTime) // the latest end of the spans that start before the event
	for _, r := range t.order {
		us := t.tim[r]
		for k < len(spans) && spans[k][0] <= us {
			reach = max(reach, spans[k][1])
			k++
		}
		if k > 0 && us <= reach {
			continue // inside a span: lo <= t <= hi, as window() slices
		}
		out = append(out, r)
	}
	return out
}

// Select keeps the runs whose name matches glob (path.Match syntax; see
// CheckRunPattern), in order, and says so when none does. The
// pipeline selects after the rules ran over every run, so that a run's
// diagnosis is the same whether or not --run left its siblings out of the
// report: the rules learn across runs (a run where logins worked tells the
// login page from the dashboard in the others). It returns the names kept.
func (a *Analysis) Select(glob string) map[string]bool {
	kept := map[string]bool{}
	all := a.Runs
	a.Runs = nil
	for _, r := range all {
		if ok, _ := path.Match(glob, r.Name); ok {
			a.Runs = append(a.Runs, r)
			kept[r.Name] = true
		}
	}
	if len(a.Runs) == 0 {
		a.Messages = append(a.Messages, fmt.Sprintf("no run matches %q (%d run(s) found)", glob, len(all)))
	}
	return kept
}

// CheckRunPattern says whether glob is a well-formed --run pattern.
func CheckRunPattern(glob string) error {
	if _, err := path.Match(glob, ""); err != nil {
		return fmt.Errorf("correlate: run pattern %q: %w", glob, err)
	}
	return nil
}

// Run returns the run with the given name, nil when absent.
func (a *Analysis) Run(name string) *Run {
	for _, r := range a.Runs {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// window returns the placed rows with lo <= time <= hi, in order: a
// binary search on the ordered time column.
func (t *Table) window(lo, hi time.Time) []int32 {
	l, h := ceilMicro(lo), floorMicro(hi)
	i := sort.Search(len(t.order), func(i int) bool { return t.tim[t.order[i]] >= l })
	j := sort.Search(len(t.order), func(i int) bool { return t.tim[t.order[i]] > h })
	if j < i {
		j = i
	}
	return t.order[i:j:j]
}

// ceilMicro and floorMicro round an instant to whole µs, up and down.
func ceilMicro(t time.Time) int64 {
	us := t.UnixMicro()
	if time.UnixMicro(us).Before(t) {
		us++
	}
	return us
}

func floorMicro(t time.Time) int64 {
	us := t.UnixMicro()
	if time.UnixMicro(us).After(t) {
		us--
	}
	return us
}

// husk reports whether r holds nothing: no Locust row, no console fact,
// no file and no window.
func husk(r *Run) bool {
	return r.Start.IsZero() && len(r.Files) == 0 && len(r.Meta) == 0 && len(r.Tasks) == 0 && !r.HasLocustResults()
}

// fillRun slices the events into the run and derives everything from them.
// It returns how many events of each file were withheld from the run
// (Table.slice). It writes nothing but r and msgs, so runs can be filled
// concurrently.
func fillRun(r *Run, t *Table, clocks map[schema.FileID]*fileClock, b [2]time.Time, opt Options, msgs *[]string) (withheld map[schema.FileID]int) {
	if r.Start.IsZero() {
		*msgs = append(*msgs, fmt.Sprintf("run %s: no time window (no history epochs, no HTML start/end); logs cannot be matched to it", r.Name))
		return nil
	}
	// Runs share the order (read-only); the capped slice keeps an append
	// on one run from writing into the next.
	other := map[schema.FileID]int{}
	r.Events = Events{t: t, rows: t.slice(t.window(b[0], b[1]), r, other)}
	logs := map[schema.FileID]bool{}
	for _, row := range r.Events.rows {
		logs[t.batches[t.bat[row]].file] = true
	}
	ids := make([]schema.FileID, 0, len(logs))
	for id := range logs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return t.rank[ids[i]] < t.rank[ids[j]] })
	var cl []Clock
	for _, id := range ids {
		r.Logs = append(r.Logs, t.files[id].Path)
		cl = append(cl, clocks[id].Clock)
	}
	cl = append(cl, unplacedClocks(clocks, r, opt.Margin)...)
	r.Clock = append(cl, r.Clock...) // the stamp entry, when any, was set by buildRuns
	sort.SliceStable(r.Clock, func(i, j int) bool { return r.Clock[i].File < r.Clock[j].File })
	if len(r.Logs) == 0 {
		*msgs = append(*msgs, fmt.Sprintf("run %s: no log events inside its window %s – %s (slice %s – %s): server-side evidence is missing", r.Name, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), b[0].Format(time.RFC3339), b[1].Format(time.RFC3339)))
	}
	// The timeline (and the incidents read from it), the links and the
	// clusters each read only the run's events and history, and write
	// their own fields: on the cores the runs leave idle (one long run),
	// they are built at once.
	parts := []func(){
		func() { r.Timeline = buildTimeline(r); r.Incidents = findIncidents(r) },
		func() { r.Chains, r.LinkStats = link(r, opt.LinkTolerance) },
		func() { r.Clusters = buildClusters(r) },
	}
	fanout.Each(len(parts), func(i int) { parts[i]() })
	return other
}

// sliceBounds is each run's slice of the logs: its window widened by the
// margin, but never past the middle of the gap to the previous or next run,
// so that runs a minute apart do not share their neighbours' events. Runs
// that overlap in time keep their own windows.
func sliceBounds(runs []*Run, margin time.Duration) map[*Run][2]time.Time {
	out := map[*Run][2]time.Time{}
	var timed []*Run
	for _, r := range runs {
		if !r.Start.IsZero() {
			timed = append(timed, r)
		}
	}
	// runs are sorted by start already. The neighbours are the previous
	// and next runs of the same folder tree (runs of another folder share
	// no log with this one).
	for i, r := range timed {
		lo, hi := r.Start.Add(-margin), r.End.Add(margin)
		for j := i - 1; j >= 0; j-- {
			p := timed[j]
			if !sameTree(p, r) {
				continue
			}
			if p.End.Before(r.Start) {
				if mid := p.End.Add(r.Start.Sub(p.End) / 2); mid.After(lo) {
					lo = mid
				}
			}
			break
		}
		for j := i + 1; j < len(timed); j++ {
			n := timed[j]
			if !sameTree(n, r) {
				continue
			}
			if r.End.Before(n.Start) {
				if mid := r.End.Add(n.Start.Sub(r.End) / 2); mid.Before(hi) {
					hi = mid
				}
			}
			break
		}
		out[r] = [2]time.Time{lo, hi}
	}
	return out
}
