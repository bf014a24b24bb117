// Package pipeline wires logcorr's stages: discover → parse → correlate →
// rules (and gates) → report. It is the one place the stages are put
// together: the CLI builds a Request from its flags, calls Run, and writes
// the Result with Write; every package's end-to-end tests do the same.
//
// Each stage takes only the previous stage's output: parsers.Discovery,
// *parsers.Dataset, *correlate.Analysis, the rules' findings. Run records
// what every stage cost (perf.Stats), at no cost worth measuring, so that
// `analyze --stats` and the JSON `perf` block can show it.
package pipeline

import (
	"errors"
	"fmt"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// Stage is how far Run goes.
type Stage int

// Stages, in order. Run stops after Request.Until (the zero value runs
// everything).
const (
	All        Stage = iota // discover, parse, correlate, rules and gates
	Parsed                  // stop after parsing: `logcorr parse`
	Correlated              // stop after correlation: `logcorr timeline`
)

// Request is what to read and how: the CLI's flags, parsed.
type Request struct {
	// Paths are the files, folders and run prefixes given.
	Paths []string
	// Parse: input format, symbolic links, redaction (and, for now,
	// `parse --tz`).
	Parse parsers.Options
	// Correlate: --tz, --tz-source.
	Correlate correlate.Options
	// Runs is --run: a glob over run names; empty reports every run. It
	// chooses what is reported, not what is analysed: every run is
	// correlated and diagnosed, so the rules learn across all of them, and
	// the selection is applied after them (Analysis.Select).
	Runs string
	// Rules are the rule set to evaluate; nil evaluates none (the
	// analysis then has no findings).
	Rules *rules.Set
	// Gates are the --slo gates; Baseline the run they (and compare's
	// deltas) compare with.
	Gates    []gates.Gate
	Baseline string
	// Outputs are the files this run will write (--out, --junit, the
	// tables of parse --out): an input that is one of them is refused
	// before anything is read.
	Outputs []Output
	// Progress, when set, is given the files found and returns the hook
	// parsing calls as each file is done and the function that ends the
	// display (the CLI's progress bar).
	Progress func([]parsers.Target) (done func(parsers.Target), end func())
	// Until stops after a stage (Parsed, Correlated); All runs them all.
	Until Stage
	// KeepText keeps every event's first line (the events' text column)
	// in memory. Without it the column is left empty
	// (parsers.Options.OmitText): what the reports quote is read back from
	// the files by position (Result.Quote), and so is what the dataset
	// export writes for every row (export.Input.Files), so they are the
	// same bytes; parse --out keeps it (KeepTables).
	KeepText bool
	// KeepTables keeps every table after parsing, for an output that
	// writes them all (parse --out). Without it each table is released
	// as the last stage that reads it ends: auth, whose records are also
	// events, after parsing; the Locust tables, read into the runs,
	// after correlation.
	KeepTables bool
	// MemoryLimit sets the Go runtime's soft memory limit from the
	// input's size (memlimit.go), unless GOMEMLIMIT is set: the CLI's
	// runs. The limit is process-wide, so tests leave it off.
	MemoryLimit bool
}

// Output names the files a flag will write.
type Output struct {
	Flag  string // "--out"
	Paths []string
}

// Result is everything the stages made.
type Result struct {
	// Files are the inputs found; Unreadable the paths named that could
	// not be read (the run went on without them: an input error, exit 2).
	Files      []parsers.Target
	Unreadable []string
	Dataset    *schema.Dataset
	Analysis   *correlate.Analysis
	// Rules and Targets are the rule set evaluated and the targets the
	// rules and reports measure against (the gates' where they name one).
	Rules   *rules.Set
	Targets rules.Targets
	// Findings and Checks are keyed by run name ("" holds what concerns
	// no single run).
	Findings map[string][]rules.Finding
	Checks   map[string][]rules.CheckStatus
	Gates    []gates.Result
	Baseline string

	perf     *perf.Recorder
	limit    *memLimit
	noRedact bool // --no-redact: quotes keep secrets
	quoted   bool // Quote has run
	// clustersQuoted: QuoteClusters has run
	clustersQuoted bool
}

// Release frees the tables' memory.
func (r *Result) Release() {
	if r != nil && r.Dataset != nil {
		r.Dataset.Release()
	}
	if r != nil && r.limit != nil {
		r.limit.stop()
	}
}

// Stats is what the stages cost so far.
func (r *Result) Stats() *perf.Stats { return r.perf.Stats() }

// NoInputError is returned when the paths given hold no file to read;
// Messages say why (each path's problem).
type NoInputError struct{ Messages []string }

func (e *NoInputError) Error() string { return "no readable files found" }

// ErrNoPaths is returned for a request without paths.
var ErrNoPaths = errors.New("no input paths given")

// Run discovers the inputs, parses them, correlates them, evaluates the
// rules and gates, up to req.Until. An error means nothing could be
// reported (no paths, no readable file, an input that is also an output,
// a bad --run or --baseline); problems with single files are messages of
// the result instead, and the run goes on.
func Run(req Request) (*Result, error) {
	if len(req.Paths) == 0 {
		return nil, ErrNoPaths
	}
	// A typo in --run fails before any file is read.
	if err := correlate.CheckRunPattern(req.Runs); req.Runs != "" && err != nil {
		return nil, err
	}
	rec := perf.New()
	res := &Result{perf: rec, Rules: req.Rules, Baseline: req.Baseline, noRedact: req.Parse.NoRedact}

	rec.Start(perf.Discover)
	disc := parsers.DiscoverPaths(req.Paths, req.Parse)
	res.Files, res.Unreadable = disc.Targets, disc.Unreadable
	if len(disc.Targets) == 0 {
		rec.End()
		return nil, &NoInputError{Messages: disc.Messages}
	}
	if err := refuse(req.Outputs, disc.Targets); err != nil {
		rec.End()
		return nil, err
	}

	rec.Start(perf.Parse)
	popt := omissions(req)
	var end func()
	if req.Progress != nil {
		popt.Progress, end = req.Progress(disc.Targets)
	}
	lim := startMemLimit(req.MemoryLimit, inputBytes(disc.Targets))
	res.limit = lim
	ds := parsers.Parse(disc.Targets, popt)
	if end != nil {
		end()
	}
	ds.Messages = append(disc.Messages, ds.Messages...)
	res.Dataset = ds
	if !req.KeepTables {
		ds.ReleaseTable(schema.TableAuth)
	}
	for _, f := range ds.Files {
		if f.Format != schema.SourceDuplicate { // a duplicate was not parsed
			rec.File(f.Audit.Format, f.Size, f.Audit.Lines, f.Audit.Records, f.ParseTime)
		}
	}
	rec.End()
	stageDone("parse")
	lim.raise()
	if req.Until == Parsed {
		return res, nil
	}

	selected := req.Runs
	rec.Start(perf.Correlate)
	copt := req.Correlate
	// The Locust tables are read into the runs' rows (correlate's
	// readLocust): only an output of every table reads them again. Their
	// thousands of one-file batches are mostly Arrow's own objects (100 MB
	// folder: 1,128 CSV files), and a long history's batches are freed as
	// its rows are made (1M-row history: they were 186 MB beside 425 MB
	// of rows).
	copt.ReleaseLocust = !req.KeepTables
	a, err := correlate.Analyze(ds, copt)
	rec.End()
	if err != nil {
		res.Release()
		return nil, err
	}
	a.Messages = append(append([]string(nil), ds.Messages...), a.Messages...)
	res.Analysis = a
	stageDone("correlate")
	lim.raise()
	if req.Until == Correlated {
		if selected != "" {
			a.Select(selected)
		}
		return res, nil
	}

	rec.Start(perf.Rules)
	defer rec.End()
	res.Targets = gates.Targets(req.Gates, rules.DefaultTargets)
	res.Findings = map[string][]rules.Finding{}
	res.Checks = map[string][]rules.CheckStatus{}
	if req.Rules != nil {
		for _, rr := range req.Rules.Evaluate(a, res.Targets) {
			res.Findings[rr.Run] = append(res.Findings[rr.Run], rr.Findings...)
			res.Checks[rr.Run] = append(res.Checks[rr.Run], rr.Checks...)
			for _, e := range rr.Errors {
				if rr.Run == "" { // about the whole analysis: a rule disabled
					a.Messages = append(a.Messages, "rule error: "+e)
					continue
				}
				a.Messages = append(a.Messages, fmt.Sprintf("run %s: rule error: %s", rr.Run, e))
			}
		}
	}
	var baseline *correlate.Run
	if req.Baseline != "" {
		if baseline = a.Run(req.Baseline); baseline == nil {
			res.Release()
			return nil, fmt.Errorf("--baseline %q: no such run among the %d analysed", req.Baseline, len(a.Runs))
		}
	}
	found := len(a.Runs)
	if selected != "" {
		kept := a.Select(selected)
		for name := range res.Findings {
			if name != "" && !kept[name] {
				delete(res.Findings, name)
				delete(res.Checks, name)
			}
		}
	}
	// With no run at all, each gate fails as not evaluated: an input that
	// held nothing to measure must not pass (gates.EvaluateRuns), nor a
	// --run that matched nothing, which is said as such.
	if len(a.Runs) == 0 && found > 0 {
		res.Gates = gates.NotEvaluated(req.Gates, fmt.Sprintf("no run matches --run %q (%d run(s) in the input)", selected, found))
	} else {
		res.Gates = gates.EvaluateRuns(req.Gates, a.Runs, res.Findings, baseline)
	}
	stageDone("rules")
	return res, nil
}

// omissions are the parse options of req with the columns no later stage
// of it reads left empty, so the tables hold only what is used: text
// unless KeepText, the auth table unless KeepTables; with Until == Parsed
// (the audit alone) the tracebacks and the routine messages too. The
// audit is the same either way.
func omissions(req Request) parsers.Options {
	opt := req.Parse
	opt.OmitText = opt.OmitText || !req.KeepText && !req.KeepTables
	opt.OmitAuth = opt.OmitAuth || !req.KeepTables
	if req.Until == Parsed {
		opt.OmitTraceback, opt.OmitRoutineMessages = true, true
	}
	return opt
}

// stageDone is called as each stage ends (parse, correlate, rules, quote):
// a no-op, which BenchmarkAnalyzeFolder replaces to measure the heap each
// stage leaves live.
var stageDone = func(stage string) {}

// refuse stops a run whose outputs name one of its inputs.
func refuse(outs []Output, targets []parsers.Target) error {
	inputs := make([]string, len(targets))
	for i, t := range targets {
		inputs[i] = t.Path
	}
	for _, o := range outs {
		if err := report.RefuseInputs(o.Flag, o.Paths, inputs); err != nil {
			return err
		}
	}
	return nil
}
