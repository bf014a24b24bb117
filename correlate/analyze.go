package correlate

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"time"

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

// input is the dataset's tables read back into rows.
type input struct {
	events     []parsers.Event
	stats      []parsers.StatRow
	history    []parsers.HistoryRow
	failures   []parsers.FailureRow
	exceptions []parsers.ExceptionRow
	meta       []parsers.MetaRow
	tasks      []parsers.TaskRow
}

func readTable[T any](ds *parsers.Dataset, name string, dst *[]T) error {
	rows, err := parsers.FromRecord[T](ds.Tables[name])
	if err != nil {
		return fmt.Errorf("correlate: table %s: %w", name, err)
	}
	*dst = rows
	return nil
}

func load(ds *parsers.Dataset) (*input, error) {
	in := &input{}
	errs := []error{
		readTable(ds, parsers.TableEvents, &in.events),
		readTable(ds, parsers.TableStats, &in.stats),
		readTable(ds, parsers.TableHistory, &in.history),
		readTable(ds, parsers.TableFailures, &in.failures),
		readTable(ds, parsers.TableExceptions, &in.exceptions),
		readTable(ds, parsers.TableMeta, &in.meta),
		readTable(ds, parsers.TableTasks, &in.tasks),
	}
	return in, errors.Join(errs...)
}

// Analyze puts every parsed source on one UTC clock, cuts the logs into
// Locust runs and links the events that belong together. The output depends
// only on ds and opt: everything is sorted, nothing reads the machine's zone.
func Analyze(ds *parsers.Dataset, opt Options) (*Analysis, error) {
	if ds == nil {
		return nil, errors.New("correlate: no dataset")
	}
	opt = opt.withDefaults()
	if opt.Runs != "" {
		if _, err := path.Match(opt.Runs, ""); err != nil {
			return nil, fmt.Errorf("correlate: run pattern %q: %w", opt.Runs, err)
		}
	}
	in, err := load(ds)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Sources: append([]parsers.Audit(nil), ds.Audits...)}
	sort.SliceStable(a.Sources, func(i, j int) bool { return a.Sources[i].Path < a.Sources[j].Path })

	// Every run serves as clock evidence, selected or not.
	all := buildRuns(in, &a.Messages)
	if len(all) == 0 {
		a.Messages = append(a.Messages, noRunReasons(a.Sources)...)
	}
	attachRunFiles(all, a.Sources)
	files := groupFiles(in.events)
	clocks := resolveClocks(files, all, opt, &a.Messages)
	for _, f := range files {
		a.Clocks = append(a.Clocks, clocks[f.name].Clock)
	}
	// A log file that yielded no event still gets its (empty) decision.
	for _, au := range a.Sources {
		if au.Path == "" || au.Run != "" || au.Tables[parsers.TableEvents] > 0 || clocks[au.Path] != nil {
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
	var unplaced []Event
	keep := &unplaced
	if !opt.KeepOutside {
		keep = nil
	}
	events, unresolved := placeEventsKeeping(files, clocks, keep)
	for _, f := range files {
		if n := unresolved[f.name]; n > 0 {
			a.Messages = append(a.Messages, fmt.Sprintf("%s: %d event(s) have no UTC time (clock offset unknown; give --tz or --tz-source) and were left out of every run", f.name, n))
		}
	}

	// Which files reach any run window (all runs, so that --run does not
	// turn the other runs' logs into orphans).
	reached := map[string]bool{}
	for _, r := range all {
		if r.Start.IsZero() {
			continue
		}
		for _, e := range window(events, r.Start.Add(-opt.Margin), r.End.Add(opt.Margin)) {
			reached[e.File] = true
		}
	}
	for _, f := range files {
		if unresolved[f.name] == f.timed+f.untimed || reached[f.name] {
			continue
		}
		a.Orphans = append(a.Orphans, f.name)
		a.Messages = append(a.Messages, fmt.Sprintf("%s: no event falls inside any run window (±%s); not used", f.name, opt.Margin))
	}

	for _, r := range all {
		if opt.Runs != "" {
			if ok, _ := path.Match(opt.Runs, r.Name); !ok {
				continue
			}
		}
		a.Runs = append(a.Runs, r)
	}
	if opt.Runs != "" && len(a.Runs) == 0 {
		a.Messages = append(a.Messages, fmt.Sprintf("no run matches %q (%d run(s) found)", opt.Runs, len(all)))
	}
	bounds := sliceBounds(all, opt.Margin)
	for _, r := range a.Runs {
		fillRun(r, events, clocks, bounds[r], opt, &a.Messages)
	}
	if opt.KeepOutside {
		a.Outside = append(outside(events, bounds), unplaced...)
	}
	return a, nil
}

// outside returns the events (sorted by time) that no run's slice holds.
func outside(events []Event, bounds map[*Run][2]time.Time) []Event {
	spans := make([][2]time.Time, 0, len(bounds))
	for _, b := range bounds {
		spans = append(spans, b)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0].Before(spans[j][0]) })
	var out []Event
	k := 0
	var reach time.Time // the latest end of the spans that start before the event
	for i := range events {
		t := events[i].Time
		for k < len(spans) && !spans[k][0].After(t) {
			if spans[k][1].After(reach) {
				reach = spans[k][1]
			}
			k++
		}
		if k > 0 && !t.After(reach) {
			continue // inside a span: lo <= t <= hi, as window() slices
		}
		out = append(out, events[i])
	}
	return out
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

// window returns the events with lo <= Time <= hi; events is sorted by time.
func window(events []Event, lo, hi time.Time) []Event {
	i := sort.Search(len(events), func(i int) bool { return !events[i].Time.Before(lo) })
	j := sort.Search(len(events), func(i int) bool { return events[i].Time.After(hi) })
	if j < i {
		j = i
	}
	return events[i:j]
}

// fillRun slices the events into the run and derives everything from them.
func fillRun(r *Run, events []Event, clocks map[string]*fileClock, b [2]time.Time, opt Options, msgs *[]string) {
	if r.Start.IsZero() {
		*msgs = append(*msgs, fmt.Sprintf("run %s: no time window (no history epochs, no HTML start/end); logs cannot be matched to it", r.Name))
		return
	}
	in := window(events, b[0], b[1])
	// Runs share the sorted event array (read-only); the capped slice
	// keeps an append on one run from writing into the next.
	r.Events = in[:len(in):len(in)]
	logs := map[string]bool{}
	for _, e := range r.Events {
		logs[e.File] = true
	}
	for f := range logs {
		r.Logs = append(r.Logs, f)
	}
	sort.Strings(r.Logs)
	var cl []Clock
	for _, f := range r.Logs {
		cl = append(cl, clocks[f].Clock)
	}
	cl = append(cl, unplacedClocks(clocks, r, opt.Margin)...)
	r.Clock = append(cl, r.Clock...) // the stamp entry, when any, was set by buildRuns
	sort.SliceStable(r.Clock, func(i, j int) bool { return r.Clock[i].File < r.Clock[j].File })
	if len(r.Logs) == 0 {
		*msgs = append(*msgs, fmt.Sprintf("run %s: no log events inside its window %s – %s (slice %s – %s): server-side evidence is missing", r.Name, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), b[0].Format(time.RFC3339), b[1].Format(time.RFC3339)))
	}
	r.Timeline = buildTimeline(r)
	r.Chains, r.LinkStats = link(r, opt.LinkTolerance)
	r.Incidents = findIncidents(r)
	r.Clusters = buildClusters(r)
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
	// runs are sorted by start already.
	for i, r := range timed {
		lo, hi := r.Start.Add(-margin), r.End.Add(margin)
		if i > 0 {
			if p := timed[i-1]; p.End.Before(r.Start) {
				if mid := p.End.Add(r.Start.Sub(p.End) / 2); mid.After(lo) {
					lo = mid
				}
			}
		}
		if i+1 < len(timed) {
			if n := timed[i+1]; r.End.Before(n.Start) {
				if mid := r.End.Add(n.Start.Sub(r.End) / 2); mid.Before(hi) {
					hi = mid
				}
			}
		}
		out[r] = [2]time.Time{lo, hi}
	}
	return out
}
