package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// Lines below are copied from /work/shared/corpus/stack/pool_exhaustion
// (pgbouncer.log, logs/runserver_8000.err.log, logs/django_errors.log) and
// placed on UTC as correlate does (the files are WIB, UTC+7).

func wib(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.000", s)
	if err != nil {
		panic(err)
	}
	return t.Add(-7 * time.Hour)
}

func i64(n int64) *int64 { return &n }

func ev(e parsers.Event) parsers.Event { return e }

// poolRows are the log rows of poolRun, for tests that change one.
func poolRows() []parsers.Event {
	return []parsers.Event{
		ev(parsers.Event{Time: wib("2026-11-29 18:57:27.303"), Source: "pgbouncer", File: "pgbouncer.log", Line: 300, Level: "LOG", Kind: parsers.KindClosing,
			Message: "C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 closing because: query_wait_timeout (age=5s)"}),
		ev(parsers.Event{Time: wib("2026-11-29 18:57:27.303"), Source: "pgbouncer", File: "pgbouncer.log", Line: 301, Level: "WARNING", Kind: parsers.KindPoolerError,
			Message: "C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout", ExcMessage: "query_wait_timeout"}),
		ev(parsers.Event{Time: wib("2026-11-29 18:57:27.305"), Source: "django", File: "logs/django_errors.log", Line: 1, EndLine: 40, Level: "ERROR", Logger: "django.request",
			Kind: parsers.KindServerError, Path: "/dashboard/", Message: "Internal Server Error: /dashboard/",
			ExcType: "psycopg2.OperationalError", ExcMessage: "FATAL:  query_wait_timeout"}),
		ev(parsers.Event{Time: wib("2026-11-29 18:57:27.000"), Source: "runserver", File: "logs/runserver_8000.err.log", Line: 12, Kind: parsers.KindRequest,
			Method: "GET", Path: "/dashboard/", Status: i64(500), Message: `"GET /dashboard/ HTTP/1.1" 500 145`}),
		ev(parsers.Event{Time: wib("2026-11-29 18:57:27.000"), Source: "runserver", File: "logs/runserver_8000.err.log", Line: 14, Kind: parsers.KindRequest,
			Method: "POST", Path: "/accounts/login/", Status: i64(500), Message: `"POST /accounts/login/ HTTP/1.1" 500 145`}),
		ev(parsers.Event{Time: wib("2026-11-29 18:59:00.000"), Source: "runserver", File: "logs/runserver_8000.err.log", Line: 90, Kind: parsers.KindRequest,
			Method: "GET", Path: "/dashboard/", Status: i64(200), Message: `"GET /dashboard/ HTTP/1.1" 200 5120`}),
	}
}

func poolRun() *correlate.Run {
	return &correlate.Run{
		Name:   "hasil_test_pool_exhaustion",
		Events: correlate.EventsOf(poolRows()...),
		Failures: []parsers.FailureRow{
			{Run: "hasil_test_pool_exhaustion", Source: "csv", File: "hasil_test_pool_exhaustion_failures.csv", Line: 5, Method: "POST", Name: "[AUTH] Login POST", Error: "CatchResponseError('login server error: 500')", Occurrences: 20},
		},
	}
}

func mustRules(t *testing.T, yaml string) *Set {
	t.Helper()
	rs, err := ParseRules([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet(rs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const ruleHead = `
id: test-rule
title: A test rule
severity: high
category: server
doc: A rule written for the engine's tests; it means nothing else.
`

func TestMatch(t *testing.T) {
	cases := []struct {
		name  string
		match string
		want  int64 // matched count; 0 = no finding
		first string
	}{
		{"pooler errors", "  sources: [pgbouncer]\n  kinds: [pooler_error]\n", 1, "pgbouncer.log:301"},
		{"lookahead and named group", "  message: 'closing because: (?<why>query_wait_timeout)(?= \\(age=)'\n", 1, "pgbouncer.log:300"},
		{"status range", "  sources: [runserver]\n  status: 5xx\n", 2, "logs/runserver_8000.err.log:12"},
		{"status single", "  status: '200'\n", 1, "logs/runserver_8000.err.log:90"},
		{"min_count not reached", "  sources: [runserver]\n  status: 500-599\n  min_count: 3\n", 0, ""},
		{"failure occurrences count", "  sources: [locust_failures]\n  message: 'login server error: 5\\d\\d'\n  min_count: 20\n", 20, "hasil_test_pool_exhaustion_failures.csv:5"},
		{"exception pattern", "  exception: '^psycopg2\\.OperationalError: FATAL:\\s+query_wait_timeout'\n", 1, "logs/django_errors.log:1"},
		{"field pattern", "  fields: {logger: '^django\\.request$'}\n", 1, "logs/django_errors.log:1"},
		{"co-occurs within 5s", "  sources: [runserver]\n  status: 5xx\n  co_occurs_with:\n    kinds: [pooler_error]\n    within: 5s\n", 2, "logs/runserver_8000.err.log:12"},
		{"co-occurs too far", "  status: '200'\n  co_occurs_with:\n    kinds: [pooler_error]\n    within: 5s\n", 0, ""},
		{"window keeps densest", "  sources: [runserver]\n  window: 10s\n  min_count: 2\n", 2, "logs/runserver_8000.err.log:12"},
		{"metric holds", "  sources: [runserver]\n  metrics: ['run.events >= 6']\n", 3, "logs/runserver_8000.err.log:12"},
		{"metric fails", "  sources: [runserver]\n  metrics: ['run.events > 6']\n", 0, ""},
		{"method filter", "  methods: [POST]\n  sources: [runserver]\n", 1, "logs/runserver_8000.err.log:14"},
		{"level case-insensitive", "  levels: [warning]\n", 1, "pgbouncer.log:301"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := mustRules(t, ruleHead+"summary: '{{.Count}} on {{.Endpoints}} why={{.Groups.why}}'\nmatch:\n"+c.match)
			res := s.EvaluateRun(&correlate.Analysis{}, poolRun(), DefaultTargets)
			if len(res.Errors) > 0 {
				t.Fatal(res.Errors)
			}
			if c.want == 0 {
				if len(res.Findings) != 0 {
					t.Fatalf("want no finding, got %+v", res.Findings)
				}
				return
			}
			if len(res.Findings) != 1 {
				t.Fatalf("want 1 finding, got %d", len(res.Findings))
			}
			f := res.Findings[0]
			if f.Metrics["count"] != float64(c.want) {
				t.Errorf("count = %v, want %d (summary %q)", f.Metrics["count"], c.want, f.Summary)
			}
			if got := f.Evidence[0].File + ":" + itoa(f.Evidence[0].Line); got != c.first {
				t.Errorf("first evidence %s, want %s", got, c.first)
			}
			if f.ID != "test-rule" || f.Severity != "high" || f.Category != "server" {
				t.Errorf("rule fields not filled: %+v", f)
			}
			if c.name == "lookahead and named group" && !strings.Contains(f.Summary, "why=query_wait_timeout") {
				t.Errorf("named group not in summary: %q", f.Summary)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestMetricOnlyRule(t *testing.T) {
	run := poolRun()
	p95 := 2100.0
	run.Stats = []parsers.StatRow{{Run: run.Name, Source: "csv", File: "x_stats.csv", Line: 9, Name: "Aggregated", Requests: 7064, Failures: 45, Percentiles: parsers.Percentiles{P95: &p95}}}
	run.Aggregated = &run.Stats[0]
	s := mustRules(t, ruleHead+"match:\n  metrics: ['aggregated.failure_pct > 0.5', 'aggregated.p95 > 2000']\n")
	res := s.EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
	if len(res.Findings) != 1 {
		t.Fatalf("want 1 finding, got %+v %v", res.Findings, res.Errors)
	}
	f := res.Findings[0]
	if f.Evidence[0].File != "x_stats.csv" || f.Evidence[0].Line != 9 || !strings.HasPrefix(f.Evidence[0].Text, ",Aggregated,7064,45,") {
		t.Errorf("evidence = %+v", f.Evidence)
	}
	if got := f.Metrics["aggregated.p95"]; got != 2100 {
		t.Errorf("metric p95 = %v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	big := strings.Repeat("a", MaxPatternBytes+1)
	cases := []struct{ name, yaml, want string }{
		{"not kebab", strings.Replace(ruleHead, "test-rule", "Test_Rule", 1) + "match: {sources: [django]}\n", "kebab-case"},
		{"bad severity", strings.Replace(ruleHead, "high", "urgent", 1) + "match: {sources: [django]}\n", "severity"},
		{"no doc", strings.Replace(ruleHead, "doc: A rule written for the engine's tests; it means nothing else.", "", 1) + "match: {sources: [django]}\n", "doc missing"},
		{"unknown key", ruleHead + "match: {sourcez: [django]}\n", "sourcez"},
		{"pattern too big", ruleHead + "match: {message: '" + big + "'}\n", "cap"},
		{"bad pattern", ruleHead + "match: {message: '(?<x'}\n", "pattern"},
		{"unknown check", ruleHead + "check: no-such-check\n", "not registered"},
		{"neither", ruleHead, "needs `check:` or `match:`"},
		{"bad metric", ruleHead + "match: {metrics: ['aggregated.p95 >> 2']}\n", "operator"},
		{"unknown metric", ruleHead + "match: {metrics: ['aggregated.p42 > 2']}\n", "unknown metric"},
		{"bad status", ruleHead + "match: {status: '5zz'}\n", "status"},
		{"bad duration", ruleHead + "match: {sources: [django], window: soon}\n", "duration"},
		{"bad template", ruleHead + "summary: '{{.Count'\nmatch: {sources: [django]}\n", "template"},
		{"bad param pattern", ruleHead + "check: allauth-rate-limited\nparams:\n  texts: ['(unclosed']\n", `pattern "(unclosed"`},
		{"duplicate id", ruleHead + "match: {sources: [django]}\n---\n" + ruleHead + "match: {sources: [django]}\n", "already defined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := ParseRules([]byte(c.yaml), "user.yaml")
			if err == nil {
				_, err = NewSet(rs)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "user.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

func TestLoadUserDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(ruleHead+"match: {kinds: [pooler_error]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(true, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := s.Show("test-rule")
	if !ok || r.Origin != filepath.Join(dir, "mine.yaml") || IsBuiltin(r) {
		t.Fatalf("user rule not loaded: %+v", r)
	}
	if _, ok := s.Show("slo-breach"); !ok {
		t.Fatal("built-in rules missing")
	}
	ids := map[string]bool{}
	for _, r := range s.List() {
		ids[r.ID] = true
	}
	if !ids["test-rule"] || !ids["slo-breach"] {
		t.Fatalf("List = %v", ids)
	}
}

// TestBuiltinLint is the `logcorr rules lint` of the embedded set,
// fixtures included.
func TestBuiltinLint(t *testing.T) {
	s, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Lint(LintOptions{FixtureDir: "testdata"}) {
		t.Error(e)
	}
}

// Lead order: what voids the run, then causes, then lesser validity
// findings, then symptoms, then context; by severity within each.
func TestSortFindings(t *testing.T) {
	fs := []Finding{
		{ID: "slo-breach", Severity: "critical", Category: "metrics"},
		{ID: "b", Severity: "high", Category: "server"},
		{ID: "a", Severity: "low", Category: "server"},
		{ID: "c", Severity: "critical", Category: "server"},
		{ID: "login-pages", Severity: "high", Category: "test-validity"},
		{ID: "tags", Severity: "medium", Category: "test-validity"},
		{ID: "hot", Severity: "high", Category: "metrics"},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Severity+"/"+f.ID)
	}
	if strings.Join(got, " ") != "high/login-pages critical/c high/b medium/tags critical/slo-breach high/hot low/a" {
		t.Fatal(got)
	}
}

func TestFinishCapsEvidence(t *testing.T) {
	r := &Rule{ID: "x", Severity: "low", Title: "t", Category: "server"}
	var ev []Evidence
	for i := int64(1); i <= 8; i++ {
		ev = append(ev, Evidence{File: "f.log", Line: i, Text: "line"}, Evidence{File: "f.log", Line: i, Text: "line"})
	}
	f := finish(r, Finding{Evidence: ev, Confidence: 1.7})
	if len(f.Evidence) != MaxEvidence || f.Evidence[0].Line != 1 || f.Evidence[1].Line != 2 {
		t.Errorf("evidence not capped in order without duplicates: %+v", f.Evidence)
	}
	if f.Confidence != 1 || f.ID != "x" || f.Severity != "low" {
		t.Errorf("finish: %+v", f)
	}
}

// A run read from both the CSVs and the HTML report: correlate keeps the
// HTML copies of Locust's failure and exception rows apart (FailuresHTML,
// ExceptionsHTML); the run metrics count run.Failures / run.Exceptions.
func TestRunMetricLocustTablesOneSource(t *testing.T) {
	both := &correlate.Run{
		Failures: []parsers.FailureRow{
			{Source: "csv", File: "x_failures.csv", Line: 2, Method: "POST", Name: "login", Error: "500", Occurrences: 7},
		},
		FailuresHTML: []parsers.FailureRow{
			{Source: "html", File: "x.html", Method: "POST", Name: "login", Error: "500", Occurrences: 7},
		},
		Exceptions: []parsers.ExceptionRow{
			{Source: "csv", File: "x_exceptions.csv", Line: 2, Count: 3, Message: "boom"},
		},
		ExceptionsHTML: []parsers.ExceptionRow{
			{Source: "html", File: "x.html", Count: 3, Message: "boom"},
		},
	}
	htmlOnly := &correlate.Run{Failures: both.FailuresHTML, Exceptions: both.ExceptionsHTML}
	for _, c := range []struct {
		name   string
		run    *correlate.Run
		metric string
		want   float64
	}{
		{"failures csv+html", both, "run.locust_failures", 7},
		{"exceptions csv+html", both, "run.locust_exceptions", 3},
		{"failures html only", htmlOnly, "run.locust_failures", 7},
		{"exceptions html only", htmlOnly, "run.locust_exceptions", 3},
	} {
		if got, ok := RunMetric(c.run, c.metric); !ok || got != c.want {
			t.Errorf("%s: %s = %v, %v; want %v", c.name, c.metric, got, ok, c.want)
		}
	}
}

// Every built-in rule is one Go value in the file named by its ID, and
// its YAML names that check: a newcomer finds where a rule fires in one
// try.
func TestBuiltinRuleLayout(t *testing.T) {
	s, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.List() {
		if r.Check != r.ID {
			t.Errorf("builtin/%s.yaml: check %q, want the rule's ID", r.ID, r.Check)
		}
		if _, err := os.Stat(r.ID + ".go"); err != nil {
			t.Errorf("rule %s: no %s.go holding its check", r.ID, r.ID)
		}
		if r.impl == nil || r.impl.checkID() != r.ID {
			t.Errorf("rule %s: check not resolved to its own value", r.ID)
		}
	}
}

// A run's rules evaluated on every core (the cores the runs leave idle)
// give what one loop over them gives: the same findings, checks and
// errors, in the same order, for every run of the corpora.
func TestEvaluateRunOnEveryCoreIsTheLoop(t *testing.T) {
	set, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, sub := range []string{"stack/pool_exhaustion", "stack/healthy", "stack/slow_exports", "ahsp"} {
		a, err := pipeline([]string{corpusDir(t, sub)})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range a.Runs {
			old := runtime.GOMAXPROCS(1)
			loop, _ := set.evaluateRun(a, r, DefaultTargets, &analysisFacts{}, nil, i)
			runtime.GOMAXPROCS(max(old, 2))
			cores, _ := set.evaluateRun(a, r, DefaultTargets, &analysisFacts{}, nil, i)
			runtime.GOMAXPROCS(old)
			if !reflect.DeepEqual(loop, cores) {
				t.Errorf("%s, run %s: on every core %+v, the loop's %+v", sub, r.Name, cores, loop)
			}
			if len(loop.Checks) != len(set.rules) {
				t.Errorf("%s, run %s: %d checks for %d rules", sub, r.Name, len(loop.Checks), len(set.rules))
			}
			runs++
		}
	}
	if runs == 0 {
		t.Fatal("the corpora gave no run to evaluate")
	}
}
