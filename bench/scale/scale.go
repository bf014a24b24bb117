// Package scale makes large, real-format load-test folders for benchmarks
// and tests: a captured scenario's logs (samples/*/) repeated night after
// night with every timestamp shifted, each night with its own Locust CSV
// set (stats, stats history with shifted epochs, failures, exceptions)
// whose run name carries the night's local stamp, as a nightly CI job
// leaves them. The bytes of every line are the scenario's own; only the
// timestamps change. The same options give the same bytes.
//
// The HTML report is left out (one per run would add ~750 kB of markup a
// night and no log line).
package scale

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options steer Generate.
type Options struct {
	// Sources are scenario folders (samples/pool-exhaustion, ...), used in
	// turn: night k replays Sources[k % len(Sources)].
	Sources []string
	// Nights is the number of nights to write; when 0, nights are added
	// until Size bytes have been written.
	Nights int
	// Size is the total to reach (bytes, logs and CSVs) when Nights is 0.
	Size int64
	// Seed moves each night's start by up to ±MaxJitter from the
	// scenario's time of day.
	Seed uint64
	// Window, when set, keeps only the records of each run between From
	// and To after its first history epoch (and the history rows in it):
	// small folders with many nights, for tests.
	Window *Window
	// MaxRecords, when set, keeps only the first MaxRecords records (a
	// timestamped line and the lines that continue it) of each log file
	// per night, after Window.
	MaxRecords int
	// KeepEvery, when above 1, keeps one record in KeepEvery of each log
	// file (the 1st, the KeepEvery+1-th, ...): a thinned night that keeps
	// the shape of its load and error curves, for benchmarks.
	KeepEvery int
	// Dense, when above 1, writes each record of each log file (its
	// timestamped line and the lines continuing it) Dense times in a row,
	// at its own time: a storm, the night's errors Dense times as dense.
	// The linking, copy merging and deduplication of many records to a
	// second are what it measures (the Locust CSVs stay the night's).
	Dense int
	// HistoryOnly writes only each night's stats history of the CSV set
	// (what run windows and clock inference read): fewer files, for tests.
	HistoryOnly bool
	// Soak writes one long run instead of a run per night: the nights
	// follow each other without a gap, and their history rows make one
	// history, named after the first night (the other CSVs are the first
	// night's). A soak test's folder: every log line is in one run's
	// window. Each source must hold one run.
	Soak bool
}

// Window is a span relative to a scenario's first history epoch.
type Window struct{ From, To time.Duration }

// MaxJitter bounds how far a night's start moves from the scenario's time
// of day.
const MaxJitter = 30 * time.Minute

// nightGap is the least quiet time between two nights' activity.
const nightGap = time.Hour

// Summary says what Generate wrote.
type Summary struct {
	Nights int
	Bytes  int64
	Files  int   // files written
	Runs   []Run // one per night and CSV set, in time order
}

// Run is one generated Locust run.
type Run struct {
	Name       string // CSV prefix with the night's stamp
	FirstEpoch int64  // first stats-history second, UTC
	Night      int
}

// scenario is a source folder loaded once.
type scenario struct {
	dir  string
	logs []named // *.log files, by relative path
	runs []csvSet
	// off is the load host's wall clock minus UTC, on the 15-minute grid:
	// its console log's first line against the first history epoch.
	off int64
	// e0 is the first history epoch; lo, hi bound every second named in
	// the scenario, on UTC, relative to e0.
	e0, lo, hi int64
}

type named struct {
	rel string
	t   *template
}

// csvSet is one --csv prefix's files.
type csvSet struct {
	prefix  string
	first   int64
	history *template
	plain   []plainFile // stats, failures, exceptions: no times
}

type plainFile struct {
	suffix string
	data   []byte
}

const historySuffix = "_stats_history.csv"

var plainSuffixes = []string{"_stats.csv", "_failures.csv", "_exceptions.csv"}

func loadScenario(dir string) (*scenario, error) {
	sc := &scenario{dir: dir}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".log") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sc.logs = append(sc.logs, named{rel: filepath.ToSlash(rel), t: newTemplate(b, false)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(sc.logs, func(i, j int) bool { return sc.logs[i].rel < sc.logs[j].rel })
	hist, err := filepath.Glob(filepath.Join(dir, "*"+historySuffix))
	if err != nil {
		return nil, err
	}
	sort.Strings(hist)
	for _, h := range hist {
		prefix := strings.TrimSuffix(filepath.Base(h), historySuffix)
		b, err := os.ReadFile(h)
		if err != nil {
			return nil, err
		}
		set := csvSet{prefix: prefix, history: newTemplate(b, true)}
		if !set.history.any {
			return nil, fmt.Errorf("%s: no epoch rows", h)
		}
		set.first = set.history.lo
		for _, suf := range plainSuffixes {
			b, err := os.ReadFile(filepath.Join(dir, prefix+suf))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			set.plain = append(set.plain, plainFile{suffix: suf, data: b})
		}
		sc.runs = append(sc.runs, set)
	}
	if len(sc.runs) == 0 {
		return nil, fmt.Errorf("%s: no *%s (a night needs its Locust run)", dir, historySuffix)
	}
	sort.Slice(sc.runs, func(i, j int) bool { return sc.runs[i].first < sc.runs[j].first })
	sc.e0 = sc.runs[0].first
	sc.off = loadHostOffset(sc)
	sc.lo, sc.hi = 0, 0
	for _, r := range sc.runs {
		sc.lo, sc.hi = min(sc.lo, r.history.lo-sc.e0), max(sc.hi, r.history.hi-sc.e0)
	}
	for _, l := range sc.logs {
		if l.t.any {
			sc.lo, sc.hi = min(sc.lo, l.t.lo-sc.off-sc.e0), max(sc.hi, l.t.hi-sc.off-sc.e0)
		}
	}
	return sc, nil
}

// loadHostOffset reads the load host's zone from its console log's first
// timestamp (locust.log, else the earliest wall clock among the logs)
// against the first history epoch, rounded to 15 minutes as zones are.
func loadHostOffset(sc *scenario) int64 {
	first, ok := int64(0), false
	for _, l := range sc.logs {
		if l.t.any && (l.rel == "locust.log" || strings.HasSuffix(l.rel, "/locust.log")) {
			first, ok = l.t.lo, true
		}
	}
	if !ok {
		for _, l := range sc.logs {
			if l.t.any && (!ok || l.t.lo < first) {
				first, ok = l.t.lo, true
			}
		}
	}
	if !ok {
		return 0
	}
	d := first - sc.e0
	q := int64(900)
	if d < 0 {
		return -((-d + q/2) / q * q)
	}
	return (d + q/2) / q * q
}

// jitter is a deterministic value in [-MaxJitter, MaxJitter] seconds for
// night k (splitmix64 of seed and k: stable across Go versions).
func jitter(seed uint64, k int) int64 {
	z := seed + uint64(k+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	span := uint64(2*MaxJitter/time.Second + 1)
	return int64(z%span) - int64(MaxJitter/time.Second)
}

// outputs holds the open output files, in creation order.
type outputs struct {
	dir   string
	files map[string]*os.File
	bufs  map[string]*bufio.Writer
	order []string
	bytes int64
}

func (o *outputs) write(rel string, b []byte) error {
	w := o.bufs[rel]
	if w == nil {
		p := filepath.Join(o.dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		o.files[rel], o.bufs[rel] = f, bufio.NewWriterSize(f, 1<<20)
		o.order = append(o.order, rel)
		w = o.bufs[rel]
	}
	o.bytes += int64(len(b))
	_, err := w.Write(b)
	return err
}

// writeFile writes a whole small file (a night's CSV) at once.
func (o *outputs) writeFile(rel string, b []byte) error {
	p := filepath.Join(o.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	o.bytes += int64(len(b))
	o.order = append(o.order, rel)
	return os.WriteFile(p, b, 0o644)
}

// close flushes and closes rel.
func (o *outputs) close(rel string) error {
	w, f := o.bufs[rel], o.files[rel]
	if w == nil {
		return nil
	}
	delete(o.bufs, rel)
	delete(o.files, rel)
	return errors.Join(w.Flush(), f.Close())
}

func (o *outputs) closeAll() error {
	var errs []error
	for _, rel := range o.order {
		errs = append(errs, o.close(rel))
	}
	return errors.Join(errs...)
}

// Generate writes the folder out. It is written under out+".partial" and
// renamed when complete; out must not exist.
func Generate(out string, opt Options) (Summary, error) {
	var sum Summary
	if len(opt.Sources) == 0 {
		return sum, errors.New("scale: no source scenario")
	}
	if opt.Nights <= 0 && opt.Size <= 0 {
		return sum, errors.New("scale: give a number of nights or a size")
	}
	if opt.Window != nil && opt.Window.To <= opt.Window.From {
		return sum, fmt.Errorf("scale: empty window %s..%s", opt.Window.From, opt.Window.To)
	}
	if _, err := os.Stat(out); err == nil {
		return sum, fmt.Errorf("scale: %s exists; remove it first", out)
	}
	var scs []*scenario
	for _, d := range opt.Sources {
		sc, err := loadScenario(d)
		if err != nil {
			return sum, fmt.Errorf("scale: %w", err)
		}
		scs = append(scs, sc)
	}
	tmp := out + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return sum, err
	}
	o := &outputs{dir: tmp, files: map[string]*os.File{}, bufs: map[string]*bufio.Writer{}}
	err := generate(o, scs, opt, &sum)
	if cerr := o.closeAll(); err == nil {
		err = cerr
	}
	if err != nil {
		return sum, fmt.Errorf("scale: %w", err)
	}
	sum.Bytes, sum.Files = o.bytes, len(o.order)
	return sum, os.Rename(tmp, out)
}

func generate(o *outputs, scs []*scenario, opt Options, sum *Summary) error {
	day0 := scs[0].e0 - mod(scs[0].e0, 86400)
	prevHi, started := int64(0), false
	var buf []byte
	var soak []byte // Soak: the one history
	soakName := ""
	for k := 0; opt.Nights <= 0 || k < opt.Nights; k++ {
		if opt.Nights <= 0 && o.bytes >= opt.Size {
			break
		}
		sc := scs[k%len(scs)]
		if opt.Soak && len(sc.runs) != 1 {
			return fmt.Errorf("%s: -soak needs a source with one run, it has %d", sc.dir, len(sc.runs))
		}
		at := day0 + int64(k)*86400 + mod(sc.e0, 86400) + jitter(opt.Seed, k)
		if opt.Soak && started {
			at = prevHi + 1 - sc.lo // the next stretch of the same run
		} else if started && at+sc.lo < prevHi+int64(nightGap/time.Second) {
			at = prevHi + int64(nightGap/time.Second) - sc.lo
		}
		prevHi, started = at+sc.hi, true
		delta := at - sc.e0
		keep := func(l *line, wall bool) bool {
			if opt.Window == nil {
				return true
			}
			if !l.valid {
				return false
			}
			t := l.rec - sc.e0
			if wall {
				t -= sc.off
			}
			return t >= int64(opt.Window.From/time.Second) && t < int64(opt.Window.To/time.Second)
		}
		for _, lf := range sc.logs {
			buf = buf[:0]
			records := 0
			rec := -1          // where the record being written starts in buf
			repeat := func() { // the record at buf[rec:] Dense times
				if rec < 0 {
					return
				}
				n := len(buf)
				for range opt.Dense - 1 {
					buf = append(buf, buf[rec:n]...)
				}
			}
			for i := range lf.t.lines {
				l := &lf.t.lines[i]
				if !keep(l, true) {
					continue
				}
				if len(l.stamps) > 0 {
					records++
				}
				if opt.MaxRecords > 0 && records > opt.MaxRecords {
					break
				}
				if opt.KeepEvery > 1 && (records-1)%opt.KeepEvery != 0 {
					continue
				}
				if len(l.stamps) > 0 {
					repeat()
					rec = len(buf)
				}
				buf = appendLine(buf, l, delta)
			}
			repeat()
			if err := o.write(lf.rel, buf); err != nil {
				return err
			}
		}
		for _, set := range sc.runs {
			if opt.Soak && k > 0 {
				for i := range set.history.lines {
					if l := &set.history.lines[i]; i > 0 && keep(l, false) {
						soak = appendLine(soak, l, delta)
					}
				}
				continue
			}
			buf = buf[:0]
			first, kept := int64(0), false
			for i := range set.history.lines {
				l := &set.history.lines[i]
				if i == 0 || keep(l, false) {
					buf = appendLine(buf, l, delta)
					if len(l.stamps) > 0 && !kept {
						first, kept = l.stamps[0].sec+delta, true
					}
				}
			}
			if !kept {
				return fmt.Errorf("%s: window %s..%s keeps no history row of %s", sc.dir, opt.Window.From, opt.Window.To, set.prefix)
			}
			// The run is named on the load host just before it starts.
			local := time.Unix(first+sc.off-3, 0).UTC()
			name := set.prefix + "_" + local.Format("20060102_150405")
			if opt.Soak {
				soak, soakName = append(soak, buf...), name
			} else if err := o.writeFile(name+historySuffix, buf); err != nil {
				return err
			}
			for _, p := range set.plain {
				if opt.HistoryOnly {
					break
				}
				if err := o.writeFile(name+p.suffix, p.data); err != nil {
					return err
				}
			}
			sum.Runs = append(sum.Runs, Run{Name: name, FirstEpoch: first, Night: k})
		}
		sum.Nights = k + 1
	}
	if opt.Soak && soakName != "" {
		return o.writeFile(soakName+historySuffix, soak)
	}
	return nil
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}
