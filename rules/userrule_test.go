package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// A user rule needs no Go: a YAML match over the correlated data, loaded
// with --rules and run with `logcorr rules test`.
const userRule = `
id: login-500-with-pool-error
title: Login 500 next to a PgBouncer pooler error
severity: critical
category: server
doc: |
  A login POST answered 500 within 5 s of a PgBouncer pooler error; a
  user's rule written in YAML only.
summary: '{{.Count}} login 500s next to pooler errors ({{.First}} to {{.Last}}) on {{.Endpoints}}'
match:
  sources: [runserver]
  methods: [POST]
  path: '^/accounts/login/$'
  status: 5xx
  co_occurs_with:
    sources: [pgbouncer]
    kinds: [pooler_error]
    message: 'pooler error: (?<err>query_wait_timeout)'
    within: 5s
  metrics: ['aggregated.failure_pct > 1']
`

func TestUserRuleThroughPipeline(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(userRule), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := Load(true, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if errs := set.Lint(LintOptions{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	cases := []struct {
		dir  string
		want bool
	}{
		{"testdata/pgbouncer-pool-exhausted/fire-stack", true},
		{"testdata/pgbouncer-pool-exhausted/quiet-healthy", false},
	}
	for _, c := range cases {
		res, err := set.Test("login-500-with-pool-error", pipeline, DefaultTargets, c.dir)
		if err != nil {
			t.Fatal(err)
		}
		var fs []Finding
		for _, rr := range res {
			if len(rr.Errors) > 0 {
				t.Fatal(rr.Errors)
			}
			fs = append(fs, rr.Findings...)
		}
		if got := len(fs) > 0; got != c.want {
			t.Fatalf("%s: fired=%v, want %v: %+v", c.dir, got, c.want, fs)
		}
		if c.want {
			f := fs[0]
			if f.ID != "login-500-with-pool-error" || f.Severity != "critical" || !strings.Contains(f.Summary, "on /accounts/login/") {
				t.Errorf("finding %+v", f)
			}
			if f.Evidence[0].File != "logs/runserver_8000.err.log" || f.Evidence[0].Time == nil {
				t.Errorf("evidence %+v", f.Evidence)
			}
		}
	}
}

// A pattern that backtracks catastrophically stops at MatchTimeout and is
// reported as the rule's error, not a hang.
func TestMatchTimeout(t *testing.T) {
	s := mustRules(t, ruleHead+"match:\n  message: '^(a+)+$'\n")
	run := &correlate.Run{Name: "r", Events: correlate.EventsOf(ev(parsers.Event{Source: "django", File: "x.log", Line: 1,
		Message: strings.Repeat("a", 5000) + "b"}))}
	start := time.Now()
	res := s.EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "x.log") {
		t.Fatalf("want a timeout error naming the file, got %v", res.Errors)
	}
	if d := time.Since(start); d > 20*MatchTimeout {
		t.Errorf("took %v", d)
	}
}

func BenchmarkEvaluatePoolExhaustion(b *testing.B) {
	dir := filepath.Join(corpus, "stack", "pool_exhaustion")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("corpus not available")
	}
	a, err := pipeline([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	set, err := Load(true, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		set.Evaluate(a, DefaultTargets)
	}
}
