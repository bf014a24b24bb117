package parsers

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/logcorr/logcorr/model/schema"
)

// Options steer parsing.
type Options struct {
	Format string         // "" or "auto" to detect; else a format name
	Loc    *time.Location // --tz: zone of naive wall clocks; nil = leave naive
	// FollowSymlinks lets folder walks follow symbolic links that lead to
	// files and folders inside the folders given (loops are still
	// detected). A walk never leaves the folders named, with or without.
	FollowSymlinks bool
	// NoRedact keeps secrets (passwords, session keys, CSRF tokens,
	// Authorization/Cookie headers) in the tables; off by default.
	NoRedact bool
	// OmitText leaves the events' text column empty: the records are
	// cited by position (file, line, end_line, offset) and read back with
	// ReadLines when a report quotes them, so the stages after parsing
	// need not hold every line twice. Redaction still counts the secrets
	// the column held, so the audit is the same.
	OmitText bool
	// OmitTraceback leaves the events' traceback column empty, for a run
	// that reads no table after parsing (links, traceback counts, the
	// pool-driver classification and rules read it): the audit alone.
	OmitTraceback bool
	// OmitRoutineMessages leaves the message column empty for the rows
	// whose typed columns and attrs hold all the line says (request lines,
	// auth_request and auth_response records, PgBouncer's login attempts,
	// closings, new connections and stats): the line itself is read back
	// by position when a report quotes it.
	OmitRoutineMessages bool
	// OmitAuth writes no auth table; its rows are still counted in the
	// audit. Every auth_debug record is also an event, which is what the
	// stages after parsing read: only an output of every table (parse
	// --out) reads the auth table, which was built, redacted included, to
	// be released after parsing (100 MB folder: auth_debug's parse 112 →
	// 96 ms).
	OmitAuth bool
	// Chunks, when above 1, splits every file whose format allows it into
	// that many chunks parsed in parallel (tests force it); 0 lets files
	// of 8 MiB and more be split (chunks.go); 1 parses every file whole.
	Chunks int
	// Progress, when set, is called as each file of ParseAll is done
	// (from the parsing goroutines, possibly at once): the CLI's progress
	// bar. It must not block.
	Progress func(Target)
}

// Result is what parsing one file produced.
type Result struct {
	Audit      Audit
	Events     []Event
	Auth       []AuthRow
	Stats      []StatRow
	History    []HistoryRow
	Failures   []FailureRow
	Exceptions []ExceptionRow
	Meta       []MetaRow
	Tasks      []TaskRow
	// Distribution holds Locust 0.x's PREFIX_distribution.csv rows until
	// Assemble merges their percentiles into PREFIX_requests.csv's rows.
	Distribution []distributionRow
}

// distributionRow is a distribution.csv row and the file it came from.
type distributionRow struct {
	StatRow
	File string
}

// Dataset is the parse stage's output: the audit of every file and the
// tables, all files' rows concatenated, ordered by file then line.
type Dataset struct {
	Audits   []Audit
	Messages []string // about the walk itself (unreadable folders, loops)
	Tables   map[string]arrow.RecordBatch
}

// Release frees the tables' memory.
func (d *Dataset) Release() {
	for _, r := range d.Tables {
		r.Release()
	}
}

// Parsed reports whether any file yielded at least one record.
func (d *Dataset) Parsed() bool {
	for _, a := range d.Audits {
		if a.Records > 0 {
			return true
		}
	}
	return false
}

// runName derives the Locust run a file belongs to from its base name.
func runName(base string) string {
	for _, suf := range []string{"_stats_history.csv", "_stats.csv", "_failures.csv", "_exceptions.csv", "_requests.csv", "_distribution.csv", ".html", ".htm"} {
		if strings.HasSuffix(base, suf) {
			return strings.TrimSuffix(base, suf)
		}
	}
	return ""
}

// ParseFile detects (or takes from opt) the format of one file and parses
// it. name is the path shown in rows and messages. It never panics on bad
// input: failures land in Audit.Error and Audit.Messages.
func ParseFile(path, name string, opt Options) (res *Result) {
	return parseFile(path, name, 0, opt, nil)
}

// parseFile is ParseFile writing the rows into tables when it is not nil:
// the Result then holds the audit and the rows that are completed across
// files (stats and distribution rows); else every row is in the Result.
func parseFile(path, name string, id schema.FileID, opt Options, tables *fileTables) (res *Result) {
	res = &Result{Audit: Audit{Path: name, Format: "unknown", Tables: map[string]int64{}}}
	a := &res.Audit
	defer func() {
		if r := recover(); r != nil {
			a.Error = fmt.Sprintf("%s: internal error while parsing (please report): %v", name, r)
			a.Messages = append(a.Messages, a.Error)
		}
	}()
	in, err := Open(path, name)
	if err != nil {
		a.Error = err.Error()
		a.Messages = append(a.Messages, err.Error())
		return res
	}
	defer in.Close()
	sample, err := in.Sample(SampleLines)
	a.Encoding, a.EncodingConfidence = in.Encoding, in.EncodingConfidence
	if err != nil {
		a.Messages = append(a.Messages, err.Error())
	}
	var f Format
	switch {
	case opt.Format != "" && opt.Format != "auto":
		var ok bool
		f, ok = Lookup(opt.Format)
		if !ok {
			a.Error = fmt.Sprintf("%s: unknown format %q", name, opt.Format)
			return res
		}
		a.Format, a.Confidence, a.Chosen = f.Name(), 1, "--format"
	default:
		d := Detect(sample, path)
		a.RunnerUp, a.RunnerUpConfidence = d.RunnerUp, round3(d.RunnerUpConfidence)
		if d.Format != "" {
			f, _ = Lookup(d.Format)
			a.Format, a.Confidence, a.Chosen = d.Format, round3(d.Confidence), "content"
			if d.ByName {
				a.Chosen = "content+name"
			}
		}
		for _, t := range d.Folds {
			// Say so when folding decided against a format that would
			// have won on its line-by-line score, or lowered the winner's.
			if t.Format == d.Format || t.Before > d.Confidence {
				a.Messages = append(a.Messages, fmt.Sprintf("%s: detection: %s", name, t.Note()))
			}
		}
	}
	c := &Context{In: in, File: name, Run: runName(filepath.Base(name)), Loc: opt.Loc, audit: a, res: res,
		tables: tables, fileID: id, noRedact: opt.NoRedact, omitText: opt.OmitText,
		omitTraceback: opt.OmitTraceback, omitRoutine: opt.OmitRoutineMessages, omitAuth: opt.OmitAuth}
	c.prepare(f)
	if f == nil {
		// Unknown: every line is unparsed, and the audit says so.
		for {
			l, ok := c.Next()
			if !ok {
				break
			}
			c.Unparsed(l, "no known format")
		}
		switch {
		case c.last == 0:
			a.Format = "empty"
			a.Messages = append(a.Messages, fmt.Sprintf("%s: empty file", name))
		case binarySample(sample):
			a.Messages = append(a.Messages, fmt.Sprintf("%s:1: binary content, not a text log; skipped", name))
		default:
			a.Messages = append(a.Messages, fmt.Sprintf("%s: format not recognised (best guess %s at %.2f, below %.2f); lines counted as unparsed", name, orNone(a.RunnerUp), a.RunnerUpConfidence, MinConfidence))
		}
	} else if plan := chunkPlan(in, f, opt.Chunks, tables.dominant()); len(plan) > 1 && parseChunks(c, f, plan) {
		// Parsed in chunks, merged into c.
	} else {
		if err := f.Parse(c); err != nil {
			a.Messages = append(a.Messages, err.Error())
		}
		// Lines the format did not read are still accounted for.
		for {
			l, ok := c.Next()
			if !ok {
				break
			}
			c.Unparsed(l, "not read by the "+f.Name()+" parser")
		}
		c.flushHeld()
	}
	c.finishZones()
	if err := in.Err(); err != nil {
		a.Warn(err.Error())
	}
	a.Messages = append(in.Notes, a.Messages...)
	a.Warnings = append(in.Losses, a.Warnings...)
	a.Lines = c.last
	a.CutLines = in.CutN
	if in.Capped() {
		a.Warn(fmt.Sprintf("%s: decompressed size reached the cap of %d bytes; the rest of the file was not read (a gzip bomb, or a log larger than the cap)", name, MaxDecompressedBytes))
	}
	if in.NULLines > 0 && f != nil {
		a.Messages = append(a.Messages, fmt.Sprintf("%s:%d: NUL bytes in %d line(s) (a file copied while being written, or corrupted)", name, in.FirstNUL, in.NULLines))
	}
	if in.LoneCR > 0 {
		a.Messages = append(a.Messages, fmt.Sprintf("%s:%d: %d line(s) end with a CR alone (old Mac line ends, or newlines turned into CRs); each is read as a line end", name, in.FirstLoneCR, in.LoneCR))
	}
	if note := in.UTF8Note(); note != "" {
		a.Messages = append(a.Messages, note)
	}
	if in.CutN > 0 {
		a.Warn(fmt.Sprintf("%s: %d line(s) longer than %d bytes were cut", name, in.CutN, in.lineLimit()))
	}
	locustRows := c.rows[schema.TableStats] + c.rows[schema.TableHistory] + c.rows[schema.TableFailures] +
		c.rows[schema.TableExceptions] + c.rows[schema.TableMeta] + c.rows[schema.TableTasks] + int64(len(res.Distribution))
	if c.Run != "" && (locustRows > 0 || c.runHeader) {
		a.Run = c.Run
	}
	if a.RecordLikeFolded > 0 {
		// A partial parse: say so, with the first such line, and lower the
		// confidence by the share of the file it did not understand.
		ex := a.RecordLikeExamples[0]
		a.Messages = append(a.Messages, fmt.Sprintf("%s:%d: partial parse: %d line(s) that begin like log records were folded into other records by the %s parser and are counted as not understood (first: %q); the file may be in another format or variant — try --format", name, ex.Line, a.RecordLikeFolded, a.Format, ex.Text))
		if a.Lines > 0 {
			a.Confidence = round3(a.Confidence * float64(a.Lines-a.RecordLikeFolded) / float64(a.Lines))
		}
	}
	if !a.Balanced() {
		a.Messages = append(a.Messages, fmt.Sprintf("%s: line accounting does not add up: %d lines, %d records + %d folded + %d unparsed (a logcorr bug; please report)", name, a.Lines, a.Records, a.Folded, a.Unparsed))
	}
	if a.Zone == "" && c.rows[schema.TableEvents] > 0 && c.checks.naive {
		a.Zone, a.ZoneReason = "UTC?", "naive local time, no zone in the lines and no --tz: read as UTC until correlation infers the offset"
	}
	c.finishChecks()
	if !opt.NoRedact {
		c.finishRedaction()
	}
	for t, n := range c.rows {
		if n > 0 {
			a.Tables[schema.Table(t).String()] = n
		}
	}
	if n := len(res.Distribution); n > 0 {
		a.Tables[TableStats+"_percentiles"] = int64(n)
	}
	return res
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

func binarySample(sample []Line) bool {
	bin := 0
	for _, l := range sample {
		if isBinary(l.Text) {
			bin++
		}
	}
	return bin > 0 && bin*2 >= len(sample)
}

// Target is a file found by Discover: where to read it and how to name it.
type Target struct {
	Path string // path to open
	Name string // display name: relative to the folder given, or as given
	// Root is the folder given on the command line that the file was
	// found in (cleaned, slashes): Path is Root + "/" + Name. It is ""
	// for a file named on the command line itself; for a Locust run named
	// by its --csv prefix (dir/run), the prefix's folder.
	Root string
}

// Discovery is what DiscoverPaths found in the paths given.
type Discovery struct {
	Targets  []Target
	Messages []string // about the walk: links not followed, files skipped, ...
	// Unreadable are the paths named on the command line that could not
	// be read at all, each with the reason ("x: no such file or
	// directory"). The other paths are still read, but a named input
	// that is missing is an input error: a CI job must not pass on half
	// of what it was told to read.
	Unreadable []string
}

// Discover expands the paths given on the command line into files; see
// DiscoverPaths. Unreadable named paths are among the messages.
func Discover(paths []string, opt Options) ([]Target, []string) {
	d := DiscoverPaths(paths, opt)
	return d.Targets, d.Messages
}

// DiscoverPaths expands the paths given on the command line into files.
// Folders are walked in lexical order; symbolic links are not followed
// unless opt.FollowSymlinks, and then only to files and folders inside the
// folders given (a link to /etc/shadow or to / is reported, not
// followed), and loops are cut. Problems become messages, and the walk
// goes on.
func DiscoverPaths(paths []string, opt Options) Discovery {
	var d Discovery
	out, msgs := d.Targets, d.Messages
	seen := map[string]bool{}
	skipped := map[string]int{}
	roots := walkRoots(paths)
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			if run := runFiles(p); len(run) > 0 {
				out = append(out, run...)
				continue
			}
			msg := fmt.Sprintf("%s: %v", p, unwrapPathErr(err))
			msgs = append(msgs, msg)
			d.Unreadable = append(d.Unreadable, msg)
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				msg := fmt.Sprintf("%s: %v", p, NotRegularError(st.Mode()))
				msgs = append(msgs, msg)
				d.Unreadable = append(d.Unreadable, msg)
				continue
			}
			out = append(out, Target{Path: p, Name: filepath.ToSlash(p)})
			continue
		}
		root, given := p, filepath.ToSlash(filepath.Clean(p))
		var walk func(dir string, depth int)
		walk = func(dir string, depth int) {
			real, err := filepath.EvalSymlinks(dir)
			if err == nil {
				if seen[real] {
					msgs = append(msgs, fmt.Sprintf("%s: folder already visited (symbolic link loop or duplicate); skipped", dir))
					return
				}
				seen[real] = true
			}
			if depth > 64 {
				msgs = append(msgs, fmt.Sprintf("%s: folders nested deeper than 64; skipped", dir))
				return
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				msgs = append(msgs, fmt.Sprintf("%s: %v", dir, unwrapPathErr(err)))
				return
			}
			for _, e := range entries {
				full := filepath.Join(dir, e.Name())
				rel, _ := filepath.Rel(root, full)
				rel = filepath.ToSlash(rel)
				if strings.HasPrefix(e.Name(), ".") {
					continue
				}
				typ := e.Type()
				if typ&fs.ModeSymlink != 0 {
					if !opt.FollowSymlinks {
						msgs = append(msgs, fmt.Sprintf("%s: symbolic link not followed (use --follow-symlinks)", rel))
						continue
					}
					target, err := filepath.EvalSymlinks(full)
					if err == nil && !insideRoots(target, roots) {
						msgs = append(msgs, fmt.Sprintf("%s: symbolic link to %s, outside the folders given; not followed", rel, target))
						continue
					}
					st, err := os.Stat(full)
					if err != nil {
						msgs = append(msgs, fmt.Sprintf("%s: %v", rel, unwrapPathErr(err)))
						continue
					}
					if st.IsDir() {
						walk(full, depth+1)
						continue
					}
					typ = st.Mode().Type()
				}
				switch {
				case typ.IsDir():
					walk(full, depth+1)
				case typ.IsRegular():
					if !candidate(e.Name()) {
						skipped[filepath.Ext(e.Name())]++
						continue
					}
					out = append(out, Target{Path: full, Name: rel, Root: given})
				default:
					msgs = append(msgs, fmt.Sprintf("%s: not a regular file (%s); skipped", rel, fileKind(typ)))
				}
			}
		}
		walk(root, 0)
	}
	if len(skipped) > 0 {
		exts := make([]string, 0, len(skipped))
		n := 0
		for ext, k := range skipped {
			if ext == "" {
				ext = "(none)"
			}
			exts = append(exts, fmt.Sprintf("%s ×%d", ext, k))
			n += k
		}
		sort.Strings(exts)
		msgs = append(msgs, fmt.Sprintf("skipped %d file(s) whose names are not log, CSV or HTML artifacts (%s); name a file explicitly to read it", n, strings.Join(exts, ", ")))
	}
	qualifyNames(out)
	d.Targets, d.Messages = out, msgs
	return d
}

// qualifyNames prefixes each file's name with its folder when the files
// come from more than one folder: `analyze samples/healthy
// samples/pool-exhaustion` would otherwise show two `locust.log` and cite
// `locust.log:12` without saying which. With one folder the names stay
// relative to it, as reports and their goldens have them.
func qualifyNames(targets []Target) {
	roots := map[string]bool{}
	for _, t := range targets {
		if t.Root != "" {
			roots[t.Root] = true
		}
	}
	if len(roots) < 2 {
		return
	}
	for i, t := range targets {
		if t.Root != "" {
			targets[i].Name = path.Join(t.Root, t.Name)
		}
	}
}

// walkRoots are the real paths (links resolved, absolute) of the folders
// given: the only places --follow-symlinks may lead a walk.
func walkRoots(paths []string) []string {
	var roots []string
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		if abs, err := filepath.Abs(real); err == nil {
			roots = append(roots, abs)
		}
	}
	return roots
}

// insideRoots reports whether the real path target lies in one of roots.
func insideRoots(target string, roots []string) bool {
	abs, err := filepath.Abs(target)
	if err != nil {
		return false
	}
	for _, r := range roots {
		if rel, err := filepath.Rel(r, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// runFiles reads a path that names a Locust run by its --csv prefix
// (dir/hasil_test_v18) as the run's files: PREFIX_*.csv and PREFIX.html.
func runFiles(prefix string) []Target {
	var out []Target
	for _, suf := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv", "_requests.csv", "_distribution.csv", ".html"} {
		p := prefix + suf
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			name := filepath.ToSlash(filepath.Base(p))
			root := ""
			if dir, ok := strings.CutSuffix(filepath.ToSlash(p), "/"+name); ok {
				root = dir
			}
			out = append(out, Target{Path: p, Name: name, Root: root})
		}
	}
	return out
}

// candidateExts are the extensions a folder walk reads. Load-test
// artifacts are logs, CSVs and HTML reports, possibly gzipped; a repository
// root also holds source, docs and JSON (including answer keys) that are
// not artifacts, and reading them would only add unknown files to the
// audit. Files named on the command line are always read.
var candidateExts = map[string]bool{
	".log": true, ".txt": true, ".csv": true, ".html": true, ".htm": true,
	".out": true, ".err": true, ".gz": true, "": true,
}

func candidate(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".gz" {
		ext2 := strings.ToLower(filepath.Ext(strings.TrimSuffix(name, filepath.Ext(name))))
		return candidateExts[ext2]
	}
	return candidateExts[ext] || strings.Contains(strings.ToLower(name), ".log")
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseAll parses every target, in parallel, and returns the dataset in
// target order, so the same inputs always give the same tables.
func ParseAll(targets []Target, opt Options) *Dataset {
	results := make([]*Result, len(targets))
	eachTarget(targets, opt, func(i int, r *Result) { results[i] = r }, func(i int, t Target) {
		results[i] = ParseFile(t.Path, t.Name, opt)
	})
	return Assemble(results)
}

// eachTarget parses the targets in parallel, GOMAXPROCS at a time: parse
// is called for each file, dup with the audit of a file whose content an
// earlier one has (skipped, so its records are not counted twice). The
// files are handed, in order, to GOMAXPROCS workers rather than to a
// goroutine each: a new goroutine's stack grows (is copied) as the parse
// goes deep, which in a folder of a thousand small CSVs was a cost per
// file; a worker's stack grows once.
func eachTarget(targets []Target, opt Options, dup func(int, *Result), parse func(int, Target)) {
	dups, sizes := duplicateOf(targets)
	var wg sync.WaitGroup
	work := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				parse(i, targets[i])
				if opt.Progress != nil {
					opt.Progress(targets[i])
				}
			}
		}()
	}
	for _, i := range largestFirst(sizes) {
		t := targets[i]
		if j := dups[i]; j >= 0 {
			msg := fmt.Sprintf("%s: same content as %s; skipped so its records are not counted twice", t.Name, targets[j].Name)
			dup(i, &Result{Audit: Audit{Path: t.Name, Format: "duplicate", Messages: []string{msg}, Tables: map[string]int64{}}})
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
}

// largestFirst is the order the files are handed to the workers in: the
// largest first, then by target order. Handed in name order, a folder's
// largest log could start last and run on alone while the other cores
// idle (100 MB folder: the 37 MB runserver log after the CSVs and four
// other logs); largest first, the smaller files fill in beside it. The
// results are kept in target order whatever the order of the work.
func largestFirst(sizes []int64) []int {
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	return order
}

// Assemble concatenates per-file results into a dataset.
func Assemble(results []*Result) *Dataset {
	ds := &Dataset{Tables: map[string]arrow.RecordBatch{}}
	ds.Messages = mergeDistributions(results)
	for _, r := range results {
		ds.Audits = append(ds.Audits, r.Audit)
	}
	sort.SliceStable(ds.Audits, func(i, j int) bool { return ds.Audits[i].Path < ds.Audits[j].Path })
	ds.Tables[TableEvents] = ToRecord(parts(results, func(r *Result) []Event { return r.Events })...)
	ds.Tables[TableAuth] = ToRecord(parts(results, func(r *Result) []AuthRow { return r.Auth })...)
	ds.Tables[TableStats] = ToRecord(parts(results, func(r *Result) []StatRow { return r.Stats })...)
	ds.Tables[TableHistory] = ToRecord(parts(results, func(r *Result) []HistoryRow { return r.History })...)
	ds.Tables[TableFailures] = ToRecord(parts(results, func(r *Result) []FailureRow { return r.Failures })...)
	ds.Tables[TableExceptions] = ToRecord(parts(results, func(r *Result) []ExceptionRow { return r.Exceptions })...)
	ds.Tables[TableMeta] = ToRecord(parts(results, func(r *Result) []MetaRow { return r.Meta })...)
	ds.Tables[TableTasks] = ToRecord(parts(results, func(r *Result) []TaskRow { return r.Tasks })...)
	return ds
}

// parts lists one table's rows per file, in file order, without copying
// them into one slice: the Arrow builder appends part after part.
func parts[T any](results []*Result, rows func(*Result) []T) [][]T {
	out := make([][]T, len(results))
	for i, r := range results {
		out[i] = rows(r)
	}
	return out
}

// TableNames lists the tables in a fixed order, for writers.
var TableNames = []string{TableEvents, TableAuth, TableStats, TableHistory, TableFailures, TableExceptions, TableMeta, TableTasks}

// mergeDistributions fills the percentiles of Locust 0.x's
// PREFIX_requests.csv rows from PREFIX_distribution.csv (the two files of one
// run), matching "METHOD name" and the total row. Figures the requests file
// has are kept; the distribution file's request count is only compared: the
// two are written at different moments. Rows with nothing to merge into are
// not invented into stats rows (they have no failures): a message says so.
func mergeDistributions(results []*Result) []string {
	var msgs []string
	type key struct{ run, typ, name string }
	var rows map[key]*StatRow
	byName := map[key][]*StatRow{} // typ left empty: rows by name alone
	for _, r := range results {
		if len(r.Distribution) == 0 {
			continue
		}
		if rows == nil {
			rows = map[key]*StatRow{}
			for _, o := range results {
				for i := range o.Stats {
					s := &o.Stats[i]
					if s.Source == "csv" && s.Run != "" {
						rows[key{s.Run, s.Type, s.Name}] = s
						byName[key{s.Run, "", s.Name}] = append(byName[key{s.Run, "", s.Name}], s)
					}
				}
			}
		}
		missed := 0
		for _, d := range r.Distribution {
			s := rows[key{d.Run, d.Type, d.Name}]
			if same := byName[key{d.Run, "", d.Name}]; s == nil && d.Type == "" && len(same) == 1 {
				// Locust 0.8 wrote some names without their method.
				s = same[0]
			}
			if s == nil {
				missed++
				continue
			}
			dst, src := s.Percentiles.Ptrs(), d.Percentiles.Ptrs()
			for i := range dst {
				if *dst[i] == nil {
					*dst[i] = *src[i]
				}
			}
			if d.Name == "Aggregated" && d.Requests != s.Requests {
				msgs = append(msgs, fmt.Sprintf("%s:%d: the total row counts %d requests where %s:%d counts %d: the two files were written at different moments; percentiles taken from the distribution as written, counts from the requests file", d.File, d.Line, d.Requests, s.File, s.Line, s.Requests))
			}
		}
		if missed > 0 {
			msgs = append(msgs, fmt.Sprintf("%s: %d distribution row(s) match no row of a %s_requests.csv: their percentiles are not used (a distribution alone has no failure counts)", r.Audit.Path, missed, r.Distribution[0].Run))
		}
	}
	return msgs
}
