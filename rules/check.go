package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A built-in rule is one Go value, in the file named by its ID
// (rules/<id>.go), beside its YAML (rules/builtin/<id>.yaml: title,
// severity, category, the long doc and the parameters' values) and its
// fixtures (rules/testdata/<id>/). The value follows
// golang.org/x/tools/go/analysis: an ID, the evidence it needs before it
// can say anything (Needs, like an Analyzer's Requires), typed parameters
// (P, decoded strictly from the YAML's params: no map lookups, no
// defaults in code) and the function that decides it.
//
//	var loginPostMissing = &Check[loginPostMissingParams]{
//		ID:    "login-post-missing",
//		Doc:   "login page fetched but the login POST is missing or still pending",
//		Needs: []Need{{SrcStats}},
//		Run:   runLoginPostMissing,
//	}
//	func init() { register(loginPostMissing) }

// Source is a kind of evidence a rule can read for a run.
type Source string

// The evidence a run can have. A log counts for a run when its events
// reach the run's window; the Locust tables when the run has rows or files
// of that kind; the cross-run sources when the analysis holds such runs.
const (
	SrcStats       Source = "locust-stats"      // _stats.csv, or the HTML report's requests table
	SrcHistory     Source = "locust-history"    // _stats_history.csv, or the HTML report's history
	SrcFailures    Source = "locust-failures"   // _failures.csv, or the HTML report's failures table
	SrcExceptions  Source = "locust-exceptions" // _exceptions.csv, or the HTML report's exceptions table
	SrcHTML        Source = "locust-html"       // the --html report (meta, user classes)
	SrcConsole     Source = "locust-console"    // Locust's console log (command line, its own messages)
	SrcLocustAuth  Source = "locust-auth-log"   // the locustfile's locust_login_failures.log
	SrcDjango      Source = "django-log"        // django_errors.log (Python logging, tracebacks)
	SrcRunserver   Source = "runserver-log"     // runserver stderr (request lines, tracebacks)
	SrcAuthDebug   Source = "auth-debug-log"    // auth_debug.log (the login middleware's key=value log)
	SrcPgBouncer   Source = "pgbouncer-log"     // PgBouncer's log
	SrcSiblingRuns Source = "sibling-runs"      // another run of the same scenario in the analysis
	SrcReference   Source = "reference-run"     // a run in the same folder where logins really worked
)

// sourceWords says what each source is, as a "cannot be checked without"
// sentence names it.
var sourceWords = map[Source]string{
	SrcStats:       "Locust's _stats.csv (or its HTML report)",
	SrcHistory:     "Locust's _stats_history.csv",
	SrcFailures:    "Locust's _failures.csv",
	SrcExceptions:  "Locust's _exceptions.csv",
	SrcHTML:        "Locust's HTML report",
	SrcConsole:     "Locust's console log",
	SrcLocustAuth:  "the locustfile's login log (locust_login_failures)",
	SrcDjango:      "Django's error log",
	SrcRunserver:   "runserver's stderr",
	SrcAuthDebug:   "auth_debug.log",
	SrcPgBouncer:   "PgBouncer's log",
	SrcSiblingRuns: "another run of the same scenario",
	SrcReference:   "a run in the same folder where logins worked (a reference for real response bodies)",
}

// Describe names a source in words.
func (s Source) Describe() string {
	if w, ok := sourceWords[s]; ok {
		return w
	}
	return string(s)
}

// Need is one prerequisite: the rule cannot decide anything for a run
// unless one of AnyOf is present. A rule lists what it cannot do without;
// evidence that only raises its confidence is named in a finding's Missing.
type Need []Source

// Describe is "the Django log or runserver's stderr".
func (n Need) Describe() string {
	parts := make([]string, len(n))
	for i, s := range n {
		parts[i] = s.Describe()
	}
	return strings.Join(parts, " or ")
}

// Check is the Go half of a built-in rule. P is its parameters: a struct
// whose yaml tags name the keys of the YAML's params:, every one of which
// the built-in YAML must set (so the YAML is the one place a default
// lives, and `rules show` prints it).
type Check[P any] struct {
	ID string
	// Doc says in one line what the check decides; the YAML's doc is the
	// full account (thresholds, severity, confidence).
	Doc   string
	Needs []Need
	Run   func(ctx *Context, p *P) []Finding
}

// checker is what the engine needs of a Check, whatever its P.
type checker interface {
	checkID() string
	needs() []Need
	decode(raw map[string]any, complete bool) (any, error)
	run(ctx *Context, params any) []Finding
}

func (c *Check[P]) checkID() string { return c.ID }

func (c *Check[P]) needs() []Need { return c.Needs }

func (c *Check[P]) run(ctx *Context, params any) []Finding {
	p, ok := params.(*P)
	if !ok {
		panic(fmt.Sprintf("rules: %s: params of type %T, want %T", c.ID, params, p))
	}
	return c.Run(ctx, p)
}

// decode reads the YAML params strictly into P: an unknown key is an
// error, and with complete set (built-in rules) so is a key P has that the
// YAML leaves out.
func (c *Check[P]) decode(raw map[string]any, complete bool) (any, error) {
	p := new(P)
	if len(raw) > 0 {
		b, err := yaml.Marshal(raw)
		if err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("params: %w", err)
		}
	}
	if complete {
		var missing []string
		for _, k := range paramKeys(reflect.TypeOf(p).Elem()) {
			if _, ok := raw[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("params: no value for %s (the built-in YAML holds every parameter's value)", strings.Join(missing, ", "))
		}
	}
	return p, nil
}

// paramKeys are the yaml keys of a params struct.
func paramKeys(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if k == "-" {
			continue
		}
		if k == "" {
			k = strings.ToLower(f.Name)
		}
		out = append(out, k)
	}
	return out
}

// noParams is the P of a check without parameters.
type noParams struct{}

var checks = map[string]checker{}

// register makes a check available to rules by its ID (and any older
// names a user's rule file may still give in `check:`); called from init
// in the rule's file.
func register(c checker, aliases ...string) {
	for _, name := range append([]string{c.checkID()}, aliases...) {
		if _, dup := checks[name]; dup {
			panic("rules: check registered twice: " + name)
		}
		checks[name] = c
	}
}

// CheckStatus says what became of one rule on one run: it produced
// findings, it read its evidence and found nothing, it could not be
// checked because a prerequisite was missing, or it failed. JSON names
// are part of logcorr.analysis/v1 (the run's "checks").
type CheckStatus struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"` // StatusFinding, StatusNoFinding, StatusCannotCheck, StatusError
	// Needs names, in words, what the rule reads before it can decide
	// (one entry per prerequisite; "a or b" when either will do).
	Needs []string `json:"needs"`
	// Missing names the prerequisites this run lacked.
	Missing []string `json:"missing,omitempty"`
}

// Check statuses.
const (
	StatusFinding     = "finding"
	StatusNoFinding   = "no-finding"
	StatusCannotCheck = "cannot-check"
	StatusError       = "error"
)

// Sentence is the status as a person writes it: "checked, no finding",
// "cannot be checked without the Django log".
func (s CheckStatus) Sentence() string {
	switch s.Status {
	case StatusCannotCheck:
		return "cannot be checked without " + strings.Join(s.Missing, ", nor without ")
	case StatusNoFinding:
		if len(s.Needs) == 0 {
			return "checked, no finding"
		}
		return "checked (read " + strings.Join(s.Needs, "; ") + "), no finding"
	case StatusError:
		return "failed on this run (see the messages)"
	}
	return "produced a finding"
}

// runSources is the evidence present for a run: its own Locust files and
// tables, the logs whose events reached its window, and the runs beside it.
func runSources(ctx *Context) map[Source]bool {
	run := ctx.Run
	have := map[Source]bool{}
	if len(run.Stats) > 0 {
		have[SrcStats] = true
	}
	if len(run.History) > 0 {
		have[SrcHistory] = true
	}
	if len(run.Failures)+len(run.FailuresHTML) > 0 {
		have[SrcFailures] = true
	}
	if len(run.Exceptions)+len(run.ExceptionsHTML) > 0 {
		have[SrcExceptions] = true
	}
	// A header-only _failures.csv is evidence too: Locust wrote it and it
	// says nothing failed. Files belong to the run by name or by the
	// audit's run.
	inputs := ctx.inputIndex()
	formatOf := inputs.formatOf
	for _, f := range inputs.byRun[run.Name] { // none for a run named ""
		markLocustFile(have, f.path, f.format)
	}
	for _, f := range run.Files {
		markLocustFile(have, f, formatOf[f])
	}
	for _, f := range run.Logs {
		if s, ok := formatSource[formatOf[f]]; ok {
			have[s] = true
		}
	}
	for src := range ctx.facts().sources {
		if s, ok := formatSource[src.String()]; ok {
			have[s] = true
		}
	}
	if ctx.scenario().has(run) {
		have[SrcSiblingRuns] = true
	}
	return have
}

// formatSource maps a parser's format name to the source it provides.
var formatSource = map[string]Source{
	"django":         SrcDjango,
	"runserver":      SrcRunserver,
	"auth_debug":     SrcAuthDebug,
	"locust_auth":    SrcLocustAuth,
	"pgbouncer":      SrcPgBouncer,
	"locust_console": SrcConsole,
	"locust_html":    SrcHTML,
}

// unplacedLogs are the log files given that could belong to the run but
// whose events are in no run, their clock offset being unknown (the run's
// Clock entries with LeftOut, correlate.unplacedClocks), by the source
// they would have given it. A rule lacking a source must not call it "not
// given" when it was given and could not be placed. Computed once per run
// (ownFacts), whichever rule asks first.
func unplacedLogs(ctx *Context) map[Source][]string {
	o := ctx.facts()
	o.unplacedDone.Do(func() {
		formatOf := ctx.inputIndex().formatOf
		for _, c := range ctx.Run.Clock {
			if c.LeftOut == 0 || slices.Contains(ctx.Run.Logs, c.File) {
				continue
			}
			if s, ok := formatSource[formatOf[c.File]]; ok {
				if o.unplaced == nil {
					o.unplaced = map[Source][]string{}
				}
				o.unplaced[s] = append(o.unplaced[s], c.File)
			}
		}
	})
	return o.unplaced
}

// offClock says of the files of srcs given but off the run's clock which
// they are and how to place them: " — django_errors.log was given, but its
// clock is unknown (give --tz or --tz-source)"; "" when there are none.
func offClock(unplaced map[Source][]string, srcs ...Source) string {
	var files []string
	for _, s := range srcs {
		for _, f := range unplaced[s] {
			files = append(files, path.Base(f))
		}
	}
	if len(files) == 0 {
		return ""
	}
	verb, its := "was", "its clock is"
	if len(files) > 1 {
		verb, its = "were", "their clocks are"
	}
	return fmt.Sprintf(" — %s %s given, but %s unknown (give --tz or --tz-source)", strings.Join(files, ", "), verb, its)
}

// missingFrom is a finding's Missing entry for evidence the sources would
// hold: what, and offClock's words when a file of one of them was given.
func missingFrom(ctx *Context, what string, srcs ...Source) string {
	return what + offClock(unplacedLogs(ctx), srcs...)
}

func markLocustFile(have map[Source]bool, path, format string) {
	switch {
	case format == "locust_html" || strings.HasSuffix(path, ".html"):
		have[SrcHTML] = true
		// The HTML report holds the requests, failures and exceptions
		// tables (empty ones too).
		have[SrcStats], have[SrcFailures], have[SrcExceptions] = true, true, true
	case format == "locust_console":
		have[SrcConsole] = true
	case strings.HasSuffix(path, "_failures.csv"):
		have[SrcFailures] = true
	case strings.HasSuffix(path, "_exceptions.csv"):
		have[SrcExceptions] = true
	case strings.HasSuffix(path, "_stats_history.csv"):
		have[SrcHistory] = true
	case strings.HasSuffix(path, "_stats.csv"):
		have[SrcStats] = true
	}
}

// unmet returns the prerequisites of needs that have lacks, in words;
// one whose files were given but not placed on the run's clock
// (unplacedLogs) says so.
func unmet(needs []Need, have map[Source]bool, unplaced map[Source][]string) []string {
	var out []string
	for _, n := range needs {
		if !slices.ContainsFunc(n, func(s Source) bool { return have[s] }) {
			out = append(out, n.Describe()+offClock(unplaced, n...))
		}
	}
	return out
}

func needWords(needs []Need) []string {
	out := make([]string, 0, len(needs))
	for _, n := range needs {
		out = append(out, n.Describe())
	}
	return out
}

// SortStatuses orders check statuses by ID.
func SortStatuses(st []CheckStatus) {
	sort.SliceStable(st, func(i, j int) bool { return st[i].ID < st[j].ID })
}
