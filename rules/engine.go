package rules

// Adding a rule
//
// A built-in rule is three things, all named by its ID (kebab-case, e.g.
// "pgbouncer-pool-exhausted"):
//
//  1. builtin/<ID>.yaml: id, title, severity, category, doc (what it means,
//     how severity and confidence are decided), and either `match:` (the
//     generic matcher of match.go: sources, kinds, levels, status, regexp2
//     patterns, min_count, window, co_occurs_with, metrics) or
//     `check: <name>` naming a Go check. Optional params: tunables the
//     check reads with Rule.Float / Rule.String.
//  2. For a Go check, a file <area>_<topic>.go (server_pool.go,
//     validity_tags.go) with
//
//     func init() { RegisterCheck("<name>", checkFoo) }
//     func checkFoo(ctx *Context) []Finding { ... }
//
//     The check reads ctx.Run (and ctx.Analysis for cross-run facts) and
//     returns findings; empty ID/Severity/Title/Category are filled from
//     the rule. Cite lines with EventEvidence, StatEvidence,
//     FailureEvidence..., most important first: the engine keeps the first
//     MaxEvidence distinct ones (PickEvidence spreads a long list of like
//     lines over the run instead), so give counts in Summary. Set Confidence from the evidence actually
//     present and list in Missing what would have made it certain.
//  3. testdata/<ID>/: fixture cases, each a folder of small real excerpts
//     (log lines, CSV rows) run through the real pipeline. A case folder
//     named fire* must produce the rule's ID, one named quiet* must not; an
//     optional want.json {"want": [...], "not": [...]} in a case folder
//     names further IDs that must (not) appear. TestFixtures walks them all.
//
// User rules: the same YAML, loaded with Load(..., userPaths); they may only
// use `match:` or a check that exists.

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Set is a loaded, compiled set of rules.
type Set struct {
	rules    []*Rule // sorted by ID
	byID     map[string]*Rule
	compiled map[string]*compiledMatch
}

// RunResult is the findings of one run, in Evaluate's order.
type RunResult struct {
	Run      string
	Findings []Finding
	// Errors are rules that failed on this run (a regexp timeout, a
	// check that panicked), as "rule-id: message".
	Errors []string
}

// MaxRuleFileBytes bounds a rule file: rules are a few KB of YAML, and a
// file read whole must not be allowed to fill memory.
const MaxRuleFileBytes = 1 << 20

// Load reads the built-in rules (when builtin is true) and the user's rule
// files or folders (every *.yaml / *.yml inside, recursively, in name
// order). Every rule is validated as Lint would (without the fixture
// check); any error stops the load and names the file.
func Load(builtin bool, userPaths []string) (*Set, error) {
	var rules []*Rule
	if builtin {
		names, err := fs.Glob(builtinFS, "builtin/*.yaml")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		for _, n := range names {
			b, err := builtinFS.ReadFile(n)
			if err != nil {
				return nil, err
			}
			rs, err := ParseRules(b, n)
			if err != nil {
				return nil, err
			}
			rules = append(rules, rs...)
		}
	}
	for _, p := range userPaths {
		files, err := ruleFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := parsers.ReadRegular(f, MaxRuleFileBytes)
			if err != nil {
				return nil, err // names the file
			}
			rs, err := ParseRules(b, f)
			if err != nil {
				return nil, err
			}
			rules = append(rules, rs...)
		}
	}
	return NewSet(rules)
}

// NewSet validates and compiles rules into a set.
func NewSet(rules []*Rule) (*Set, error) {
	s := &Set{byID: map[string]*Rule{}, compiled: map[string]*compiledMatch{}}
	var errs []error
	for _, r := range rules {
		if prev, dup := s.byID[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule %q already defined in %s", r.Origin, r.ID, prev.Origin))
			continue
		}
		for _, p := range lintRule(r) {
			errs = append(errs, p)
		}
		s.byID[r.ID] = r
		s.rules = append(s.rules, r)
		if r.Match != nil {
			cm, err := compileMatch(r.Match)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: rule %s: %w", r.Origin, r.ID, err))
				continue
			}
			s.compiled[r.ID] = cm
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(s.rules, func(i, j int) bool { return s.rules[i].ID < s.rules[j].ID })
	return s, nil
}

// ParseRules decodes one YAML file: one rule, or several separated by
// "---". Unknown keys are errors, so a typo in a user rule is not silently
// ignored. origin names the file in messages.
func ParseRules(b []byte, origin string) ([]*Rule, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	var out []*Rule
	for {
		var r Rule
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", origin, err)
		}
		r.Origin = origin
		out = append(out, &r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no rule in file", origin)
	}
	return out, nil
}

func ruleFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: %w", p, parsers.NotRegularError(st.Mode()))
		}
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("rules: %s: no .yaml rule files", p)
	}
	return files, nil
}

// List returns the rules sorted by ID.
func (s *Set) List() []*Rule { return append([]*Rule(nil), s.rules...) }

// Show returns the rule with the given ID.
func (s *Set) Show(id string) (*Rule, bool) {
	r, ok := s.byID[id]
	return r, ok
}

// Only returns a set holding just the named rules.
func (s *Set) Only(ids ...string) (*Set, error) {
	o := &Set{byID: map[string]*Rule{}, compiled: map[string]*compiledMatch{}}
	for _, id := range ids {
		r, ok := s.byID[id]
		if !ok {
			return nil, fmt.Errorf("rules: no rule %q", id)
		}
		if _, dup := o.byID[id]; dup {
			continue
		}
		o.byID[id] = r
		o.rules = append(o.rules, r)
		if cm := s.compiled[id]; cm != nil {
			o.compiled[id] = cm
		}
	}
	sort.Slice(o.rules, func(i, j int) bool { return o.rules[i].ID < o.rules[j].ID })
	return o, nil
}

// Evaluate runs every rule over every run of the analysis. Results follow
// a.Runs' order; each run's findings are sorted by severity (highest
// first), then ID, then summary, so output is deterministic.
//
// A match rule whose pattern runs out of its budget (MatchTimeout) on any
// record of any run is disabled for the whole analysis: its findings are
// dropped from every run, it is not run again, and one last RunResult,
// with Run "", carries a message saying so. The message names the rule
// and the pattern, not the record: which record is the first to run out
// can depend on the machine's load, the outcome must not.
func (s *Set) Evaluate(a *correlate.Analysis, t Targets) []RunResult {
	out := make([]RunResult, 0, len(a.Runs))
	disabled := map[string]string{} // rule ID → pattern
	for _, run := range a.Runs {
		out = append(out, s.evaluateRun(a, run, t, disabled))
	}
	if len(disabled) == 0 {
		return out
	}
	ids := make([]string, 0, len(disabled))
	for id := range disabled {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	all := RunResult{}
	for _, id := range ids {
		all.Errors = append(all.Errors, fmt.Sprintf("%s: disabled for the whole analysis: its pattern %q ran out of the matching budget (%v per match, at most %d bytes of input), so none of its findings is reported for any run",
			id, disabled[id], MatchTimeout, MaxMatchInput))
	}
	for i := range out {
		kept := out[i].Findings[:0]
		for _, f := range out[i].Findings {
			if _, off := disabled[f.ID]; !off {
				kept = append(kept, f)
			}
		}
		out[i].Findings = kept
	}
	return append(out, all)
}

// EvaluateRun runs every rule over one run.
func (s *Set) EvaluateRun(a *correlate.Analysis, run *correlate.Run, t Targets) RunResult {
	return s.evaluateRun(a, run, t, nil)
}

// evaluateRun runs every rule over one run. With disabled (Evaluate), a
// rule running out of its matching budget is recorded there instead of
// as this run's error, and rules recorded there are skipped.
func (s *Set) evaluateRun(a *correlate.Analysis, run *correlate.Run, t Targets, disabled map[string]string) RunResult {
	res := RunResult{Run: run.Name}
	own := &ownFacts{}
	for _, r := range s.rules {
		if _, off := disabled[r.ID]; off {
			continue
		}
		fs, err := s.evalRule(r, a, run, t, own)
		var budget *budgetError
		if disabled != nil && errors.As(err, &budget) {
			disabled[r.ID] = budget.pattern
			continue
		}
		if err != nil {
			res.Errors = append(res.Errors, r.ID+": "+err.Error())
		}
		for _, f := range fs {
			res.Findings = append(res.Findings, finish(r, f))
		}
	}
	SortFindings(res.Findings)
	return res
}

func (s *Set) evalRule(r *Rule, a *correlate.Analysis, run *correlate.Run, t Targets, own *ownFacts) (out []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	ctx := &Context{Analysis: a, Run: run, Rule: r, Targets: t, own: own}
	if r.Check != "" {
		c, ok := checks[r.Check]
		if !ok {
			return nil, fmt.Errorf("unknown check %q", r.Check)
		}
		return c(ctx), nil
	}
	if cm := s.compiled[r.ID]; cm != nil {
		return evalMatch(ctx, cm)
	}
	return nil, nil
}

// finish fills what the check left empty from the rule, bounds the
// confidence and keeps at most MaxEvidence distinct citations, in the
// check's order.
func finish(r *Rule, f Finding) Finding {
	if f.ID == "" {
		f.ID = r.ID
	}
	if f.Severity == "" {
		f.Severity = r.Severity
	}
	if f.Title == "" {
		f.Title = r.Title
	}
	if f.Category == "" {
		f.Category = r.Category
	}
	// One cap for every rule: checks order their citations by importance,
	// the summary carries the counts.
	f.Evidence = TopEvidence(f.Evidence, MaxEvidence)
	if f.Evidence == nil {
		f.Evidence = []Evidence{}
	}
	f.Confidence = clamp01(round3(f.Confidence))
	return f
}

// SortFindings orders findings by severity (highest first), then ID, then
// summary.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		si, _ := ParseSeverity(fs[i].Severity)
		sj, _ := ParseSeverity(fs[j].Severity)
		if si != sj {
			return si > sj
		}
		if fs[i].ID != fs[j].ID {
			return fs[i].ID < fs[j].ID
		}
		return fs[i].Summary < fs[j].Summary
	})
}

// Analyzer turns files into an analysis (discover + parse + correlate);
// the CLI passes its own so this package does not copy its options.
type Analyzer func(paths []string) (*correlate.Analysis, error)

// Test runs one rule over the given files: analyze them with the given
// function, then evaluate only that rule.
func (s *Set) Test(id string, analyze Analyzer, t Targets, paths ...string) ([]RunResult, error) {
	one, err := s.Only(id)
	if err != nil {
		return nil, err
	}
	a, err := analyze(paths)
	if err != nil {
		return nil, err
	}
	return one.Evaluate(a, t), nil
}

func clamp01(f float64) float64 {
	if f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

func round3(f float64) float64 {
	if f < 0 {
		return -round3(-f)
	}
	return float64(int64(f*1000+0.5)) / 1000
}
