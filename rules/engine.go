package rules

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
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/internal/fanout"
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
	// Checks say, per rule, whether it found something, found nothing in
	// the evidence it read, or could not be checked for lack of it.
	Checks []CheckStatus
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
		for _, p := range lintRule(r) { // compiles the check and its params
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
// a.Runs' order; each run's findings are in LeadOrder (the cause first,
// symptoms after it), so output is deterministic.
//
// A match rule whose pattern runs out of its budget (MatchTimeout) on any
// record of any run is disabled for the whole analysis: its findings are
// dropped from every run (its check status there is an error), it is not
// run again, and one last RunResult, with Run "", carries a message
// saying so. The message names the rule and the pattern, not the record:
// which record is the first to run out can depend on the machine's load,
// the outcome must not.
func (s *Set) Evaluate(a *correlate.Analysis, t Targets) []RunResult {
	// Runs are evaluated on every core. Each writes only its own result;
	// the rules share the analysis (read-only) and analysisFacts (locked).
	// The outcome is the one a loop over a.Runs in order gives (see
	// budgets).
	out := make([]RunResult, len(a.Runs))
	errRules := make([][]string, len(a.Runs))
	all := &analysisFacts{}
	b := &budgets{first: map[string]int{}, pattern: map[string]string{}}
	fanout.Each(len(a.Runs), func(i int) {
		out[i], errRules[i] = s.evaluateRun(a, a.Runs[i], t, all, b, i)
	})
	if len(b.first) == 0 {
		return out
	}
	// A loop would not have run a disabled rule on the runs after the one
	// it ran out of its budget on: those runs show it as skipped (an
	// error status, nothing missing) and carry no error of it, whatever
	// the rule did there when run concurrently.
	for i := range out {
		var errs []string
		for k, e := range out[i].Errors {
			if first, off := b.first[errRules[i][k]]; off && i > first {
				continue
			}
			errs = append(errs, e)
		}
		out[i].Errors = errs
		for j := range out[i].Checks {
			c := &out[i].Checks[j]
			if first, off := b.first[c.ID]; off && i > first {
				c.Status, c.Missing = StatusError, nil
			}
		}
	}
	ids := make([]string, 0, len(b.first))
	for id := range b.first {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	off := RunResult{}
	for _, id := range ids {
		off.Errors = append(off.Errors, fmt.Sprintf("%s: disabled for the whole analysis: its pattern %q ran out of the matching budget (%v per match, at most %d bytes of input), so none of its findings is reported for any run",
			id, b.pattern[id], MatchTimeout, MaxMatchInput))
	}
	for i := range out {
		kept := out[i].Findings[:0]
		for _, f := range out[i].Findings {
			if _, gone := b.first[f.ID]; !gone {
				kept = append(kept, f)
			}
		}
		out[i].Findings = kept
		for j := range out[i].Checks {
			if _, gone := b.first[out[i].Checks[j].ID]; gone {
				out[i].Checks[j].Status = StatusError
			}
		}
	}
	return append(out, off)
}

// budgets records, per match rule, the first run (in the analysis' order)
// on which its pattern ran out of the matching budget, and that pattern.
// A run after it need not evaluate the rule (a loop would have skipped
// it); a run before it always does, so the first run found is the one a
// loop finds, whichever order the runs are evaluated in.
type budgets struct {
	mu      sync.Mutex
	first   map[string]int    // rule ID → run index
	pattern map[string]string // rule ID → the pattern, as run first[ID] saw it
}

// skip reports whether rule id ran out of its budget on a run before run.
func (b *budgets) skip(id string, run int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	first, ok := b.first[id]
	return ok && first < run
}

// spent records that rule id ran out of its budget on run.
func (b *budgets) spent(id, pattern string, run int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if first, ok := b.first[id]; !ok || run < first {
		b.first[id], b.pattern[id] = run, pattern
	}
}

// EvaluateRun runs every rule over one run.
func (s *Set) EvaluateRun(a *correlate.Analysis, run *correlate.Run, t Targets) RunResult {
	res, _ := s.evaluateRun(a, run, t, &analysisFacts{}, nil, 0)
	return res
}

// evaluateRun runs every rule over one run, the idx-th of the analysis.
// With budgets (Evaluate), a rule running out of its matching budget is
// recorded there instead of as this run's error, and a rule that ran out
// on an earlier run is not run. errRules names the rule of each of the
// result's Errors. The rules are evaluated on the cores the runs leave
// idle (a soak test's one long run; fanout.Each): they share the run's
// facts, each computed once, and the analysis' facts, locked. The result
// is assembled in the set's order, so it is the one a loop gives.
func (s *Set) evaluateRun(a *correlate.Analysis, run *correlate.Run, t Targets, all *analysisFacts, b *budgets, idx int) (res RunResult, errRules []string) {
	res = RunResult{Run: run.Name}
	own := &ownFacts{}
	base := &Context{Analysis: a, Run: run, Targets: t, own: own, all: all, set: s}
	have, unplaced := runSources(base), unplacedLogs(base)
	type outcome struct {
		st     CheckStatus
		run    bool // evalRule ran: fs and err are its result
		fs     []Finding
		err    error
		budget *budgetError
	}
	outs := make([]outcome, len(s.rules))
	var todo []int
	for i, r := range s.rules {
		st := CheckStatus{ID: r.ID, Title: r.Title, Needs: needWords(r.Needs())}
		if st.Needs == nil {
			st.Needs = []string{}
		}
		outs[i].st = st
		if b != nil && b.skip(r.ID, idx) {
			outs[i].st.Status = StatusError
			continue
		}
		if miss := unmet(r.Needs(), have, unplaced); len(miss) > 0 {
			outs[i].st.Status, outs[i].st.Missing = StatusCannotCheck, miss
			continue
		}
		outs[i].run = true
		todo = append(todo, i)
	}
	eval := func(k int) {
		o := &outs[todo[k]]
		o.fs, o.err = s.evalRule(s.rules[todo[k]], a, run, t, own, all)
		if b != nil {
			errors.As(o.err, &o.budget)
		}
	}
	fanout.Each(len(todo), eval)
	for i, r := range s.rules {
		o := &outs[i]
		st := o.st
		if !o.run {
			res.Checks = append(res.Checks, st)
			continue
		}
		if o.budget != nil {
			b.spent(r.ID, o.budget.pattern, idx)
			st.Status = StatusError
			res.Checks = append(res.Checks, st)
			continue
		}
		if o.err != nil {
			res.Errors = append(res.Errors, r.ID+": "+o.err.Error())
			errRules = append(errRules, r.ID)
		}
		for _, f := range o.fs {
			res.Findings = append(res.Findings, finish(r, f))
		}
		switch {
		case o.err != nil:
			st.Status = StatusError
		case len(o.fs) > 0:
			st.Status = StatusFinding
		default:
			st.Status = StatusNoFinding
		}
		res.Checks = append(res.Checks, st)
	}
	SortFindings(res.Findings)
	return res, errRules
}

func (s *Set) evalRule(r *Rule, a *correlate.Analysis, run *correlate.Run, t Targets, own *ownFacts, all *analysisFacts) (out []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	ctx := &Context{Analysis: a, Run: run, Rule: r, Targets: t, own: own, all: all, set: s}
	if r.Check != "" {
		if r.impl == nil {
			if err := r.compile(); err != nil {
				return nil, err
			}
		}
		return r.impl.run(ctx, r.params), nil
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
	f.Role = roleOf(f)
	if f.Key == "" {
		f.Key = f.ID
	}
	return f
}

// SortFindings puts findings in lead order: what makes the run's figures
// meaningless first (a validity finding of high severity or more: "this
// run does not measure the app"), then the causes, then the lesser
// validity findings, then the symptoms (slo-breach, endpoint-hotspot),
// then context; within each, by severity (highest first), then ID, then
// summary. A report's first finding is therefore the root cause, never a
// symptom of it.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if ri, rj := leadRank(fs[i]), leadRank(fs[j]); ri != rj {
			return ri < rj
		}
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

// leadRank is a finding's place in the story (lower leads).
func leadRank(f Finding) int {
	sev, _ := ParseSeverity(f.Severity)
	switch roleOf(f) {
	case RoleValidity:
		if sev >= High {
			return 0
		}
		return 2
	case RoleCause:
		return 1
	case RoleSymptom:
		return 3
	}
	return 4
}

// roleOf is the finding's role, or the one its category and severity
// imply when the rule did not say.
func roleOf(f Finding) string {
	if f.Role != "" {
		return f.Role
	}
	sev, _ := ParseSeverity(f.Severity)
	switch {
	case f.Category == "metrics":
		return RoleSymptom
	case sev <= Low:
		return RoleContext
	case f.Category == "test-validity":
		return RoleValidity
	}
	return RoleCause
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
