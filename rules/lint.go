package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// kebab is the rule ID format: lowercase words joined by single hyphens.
var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// LintOptions steer Lint.
type LintOptions struct {
	// FixtureDir, when set, is the folder holding <ID>/ fixture folders;
	// every built-in rule must have one there with at least one case.
	FixtureDir string
}

// LintError is one problem with one rule.
type LintError struct {
	Rule   string // ID, or "" when the ID itself is missing
	Origin string // file the rule came from
	Msg    string
}

func (e LintError) Error() string {
	id := e.Rule
	if id == "" {
		id = "(no id)"
	}
	return e.Origin + ": " + id + ": " + e.Msg
}

// Lint checks every rule of the set (and the fixture folders of built-in
// rules when opt.FixtureDir is set). Problems come back sorted by rule.
func (s *Set) Lint(opt LintOptions) []LintError {
	var out []LintError
	for _, r := range s.rules {
		out = append(out, lintRule(r)...)
		if r.Match != nil {
			if _, err := compileMatch(r.Match); err != nil {
				out = append(out, LintError{r.ID, r.Origin, err.Error()})
			}
		}
		if opt.FixtureDir != "" && IsBuiltin(r) {
			out = append(out, lintFixtures(r, opt.FixtureDir)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// IsBuiltin reports whether the rule was loaded from the embedded set.
func IsBuiltin(r *Rule) bool { return strings.HasPrefix(r.Origin, "builtin/") }

// lintRule checks what can be checked without other rules: used by Load
// too, so a broken user rule never runs.
func lintRule(r *Rule) []LintError {
	var out []LintError
	add := func(format string, a ...any) {
		out = append(out, LintError{r.ID, r.Origin, fmt.Sprintf(format, a...)})
	}
	if r.ID == "" {
		add("missing id")
	} else if !kebab.MatchString(r.ID) {
		add("id %q is not kebab-case (lowercase words joined by '-')", r.ID)
	}
	if IsBuiltin(r) && r.Origin != "builtin/"+r.ID+".yaml" {
		add("built-in rule file must be named builtin/%s.yaml", r.ID)
	}
	if strings.TrimSpace(r.Title) == "" {
		add("missing title")
	}
	if _, ok := ParseSeverity(r.Severity); !ok {
		add("severity %q is not one of %s", r.Severity, strings.Join(severityNames, ", "))
	}
	switch r.Category {
	case "server", "test-validity", "metrics":
	default:
		add("category %q is not one of server, test-validity, metrics", r.Category)
	}
	if len(strings.TrimSpace(r.Doc)) < 20 {
		add("doc missing or too short: say what the rule means and how severity and confidence are decided")
	}
	switch {
	case r.Check == "" && r.Match == nil:
		add("needs `check:` or `match:`")
	case r.Check != "" && r.Match != nil:
		add("has both `check:` and `match:`; use one")
	case r.Check != "":
		if err := r.compile(); err != nil {
			add("%v", err)
		}
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		add("confidence %v is outside 0..1", r.Confidence)
	}
	for name, t := range map[string]string{"summary": r.Summary, "interpretation": r.Interpretation, "recommendation": r.Recommendation} {
		if t == "" {
			continue
		}
		for _, p := range checkTemplate(t) {
			add("%s template: %s", name, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Msg < out[j].Msg })
	return out
}

func lintFixtures(r *Rule, dir string) []LintError {
	base := filepath.Join(dir, r.ID)
	ents, err := os.ReadDir(base)
	if err != nil {
		return []LintError{{r.ID, r.Origin, "no fixture folder " + base}}
	}
	var fire, quiet int
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		switch {
		case strings.HasPrefix(e.Name(), "fire"):
			fire++
		case strings.HasPrefix(e.Name(), "quiet"):
			quiet++
		}
	}
	var out []LintError
	if fire == 0 {
		out = append(out, LintError{r.ID, r.Origin, "no fire* case in " + base})
	}
	if quiet == 0 {
		out = append(out, LintError{r.ID, r.Origin, "no quiet* case in " + base})
	}
	return out
}
