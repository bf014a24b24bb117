package rules

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The must-show tests: the built-in rules over the real corpora, through
// the real pipeline. truth.json is the answer key of each stack scenario;
// only tests read it.

const corpus = "../../shared/corpus"

func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	d := filepath.Join(corpus, sub)
	if _, err := os.Stat(d); err != nil {
		t.Skipf("corpus %s not available (%v): must-show test not run", d, err)
	}
	return d
}

// evaluateDir runs discover → parse → correlate → every built-in rule.
func evaluateDir(t *testing.T, dir string) map[string][]Finding {
	t.Helper()
	a, err := pipeline([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	set, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]Finding{}
	for _, rr := range set.Evaluate(a, DefaultTargets) {
		for _, e := range rr.Errors {
			t.Errorf("%s: %s", rr.Run, e)
		}
		out[rr.Run] = rr.Findings
	}
	return out
}

func findingByID(fs []Finding, id string) (Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

func findingIDs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Severity+"/"+f.ID)
	}
	return out
}

// causeCheck turns one intended root cause of truth.json into what the
// findings must show.
var causeCheck = map[string]func(t *testing.T, fs []Finding){
	"pgbouncer_pool_exhaustion": func(t *testing.T, fs []Finding) {
		f, ok := findingByID(fs, "pgbouncer-pool-exhausted")
		if !ok || f.Severity != "critical" || f.Confidence < 0.8 {
			t.Errorf("want critical pgbouncer-pool-exhausted with confidence ≥ 0.8, got %v (%+v)", findingIDs(fs), f)
		}
	},
	"pgbouncer_query_wait_timeout": func(t *testing.T, fs []Finding) {
		f, _ := findingByID(fs, "pgbouncer-pool-exhausted")
		if !strings.Contains(f.Summary, "query_wait_timeout") || f.Metrics["pooler_errors"] == 0 {
			t.Errorf("pool finding does not cite PgBouncer's query_wait_timeout errors: %s", f.Summary)
		}
	},
	"login_http_500_from_db_operationalerror": func(t *testing.T, fs []Finding) {
		f, _ := findingByID(fs, "pgbouncer-pool-exhausted")
		if !strings.Contains(f.Summary, "POST /accounts/login/") || f.Metrics["driver_errors"] == 0 {
			t.Errorf("pool finding does not name the login 500s and the driver errors: %s", f.Summary)
		}
	},
	"slow_export_endpoints": func(t *testing.T, fs []Finding) {
		f, ok := findingByID(fs, "endpoint-hotspot")
		if !ok || len(f.Evidence) == 0 {
			t.Fatalf("want endpoint-hotspot, got %v", findingIDs(fs))
		}
		for _, e := range f.Evidence {
			if !strings.Contains(e.Text, "/export/") {
				t.Errorf("hotspot row is not an export endpoint: %s", e.Text)
			}
		}
		if _, pool := findingByID(fs, "pgbouncer-pool-exhausted"); pool {
			t.Errorf("slow exports blamed on the pool: %v", findingIDs(fs))
		}
	},
}

func TestStackScenarios(t *testing.T) {
	root := corpusDir(t, "stack")
	scen, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scen {
		if !s.IsDir() {
			continue
		}
		dir := filepath.Join(root, s.Name())
		t.Run(s.Name(), func(t *testing.T) {
			var truth struct {
				Causes []string `json:"intended_root_causes"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
			if err != nil {
				t.Skip("no truth.json")
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			runs := evaluateDir(t, dir)
			if len(runs) != 1 {
				t.Fatalf("want one run, got %d", len(runs))
			}
			var fs []Finding
			for _, f := range runs {
				fs = f
			}
			t.Logf("%s: %v", s.Name(), findingIDs(fs))
			if len(truth.Causes) == 0 {
				for _, f := range fs {
					if f.Severity == "critical" {
						t.Errorf("healthy run has a critical finding: %s: %s", f.ID, f.Summary)
					}
					if f.Category == "server" {
						t.Errorf("healthy run has a server finding: %s: %s", f.ID, f.Summary)
					}
				}
			}
			for _, c := range truth.Causes {
				check, ok := causeCheck[c]
				if !ok {
					t.Errorf("intended root cause %q has no expectation in this test", c)
					continue
				}
				check(t, fs)
			}
		})
	}
}

// csvLine returns the 1-based line of a file that starts with prefix, and
// its text.
func csvLine(t *testing.T, path, prefix string) (int64, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := int64(1); sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), prefix) {
			return n, sc.Text()
		}
	}
	t.Fatalf("%s: no line starting %q", path, prefix)
	return 0, ""
}

func TestAHSPMustShow(t *testing.T) {
	dir := corpusDir(t, "ahsp")
	runs := evaluateDir(t, dir)

	t.Run("v18 slo-breach with the report's figures", func(t *testing.T) {
		const run = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"
		f, ok := findingByID(runs[run], "slo-breach")
		if !ok {
			t.Fatalf("no slo-breach: %v", findingIDs(runs[run]))
		}
		// The weekly report: 7,064 requests, 45 failures (0.64%), median
		// 25ms, p95 2.1s, p99 19s, RPS 23.6.
		for _, want := range []string{"7,064 requests", "45 failures (0.64 %)", "median 25 ms", "p95 2.1 s", "p99 19 s", "23.6 RPS"} {
			if !strings.Contains(f.Summary, want) {
				t.Errorf("summary lacks %q: %s", want, f.Summary)
			}
		}
		for k, v := range map[string]float64{"requests": 7064, "failures": 45, "median_ms": 25, "p95_ms": 2100, "p99_ms": 19000} {
			if f.Metrics[k] != v {
				t.Errorf("metric %s = %v, want %v", k, f.Metrics[k], v)
			}
		}
		if p := f.Metrics["failure_pct"]; p < 0.635 || p > 0.645 {
			t.Errorf("failure_pct %v, want 0.64", p)
		}
		if r := f.Metrics["rps"]; r < 23.55 || r > 23.65 {
			t.Errorf("rps %v, want 23.6", r)
		}
		line, text := csvLine(t, filepath.Join(dir, run+"_stats.csv"), ",Aggregated,")
		ev := f.Evidence[0]
		if ev.File != run+"_stats.csv" || ev.Line != line || ev.Text != text {
			t.Errorf("evidence %s:%d %q, want %s_stats.csv:%d %q", ev.File, ev.Line, ev.Text, run, line, text)
		}
	})

	// The ~120 s login latencies of these runs match PgBouncer's default
	// queue timeout, but only the CSVs exist: no pool finding (no cause
	// without its evidence); the ceiling is said once, naming the logs that
	// would confirm it.
	var poolRuns []string
	for name := range runs {
		if name == "hasil_test_auth_only_50u_multi_nolimit_v2" || strings.HasPrefix(name, "hasil_test_v19_100u_nolimit_pool1") {
			poolRuns = append(poolRuns, name)
		}
	}
	sort.Strings(poolRuns)
	if len(poolRuns) != 4 {
		t.Errorf("want the v2 run and three v19 pool1* runs, got %v", poolRuns)
	}
	for _, run := range poolRuns {
		t.Run(run, func(t *testing.T) {
			if f, ok := findingByID(runs[run], "pgbouncer-pool-exhausted"); ok {
				t.Errorf("pool exhaustion claimed from the CSV alone: %s", f.Summary)
			}
			if _, ok := findingByID(runs[run], "latency-ceiling"); !ok {
				t.Errorf("no latency-ceiling: %v", findingIDs(runs[run]))
			}
		})
	}

	// Runs whose login latency is not at the ceiling are not blamed on it.
	for _, run := range []string{"hasil_test_auth_only_50u_multi_nolimit_v3_pool100", "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"} {
		if f, ok := findingByID(runs[run], "pgbouncer-pool-exhausted"); ok {
			t.Errorf("%s: pool blamed without a 120 s ceiling: %s", run, f.Summary)
		}
	}
}
