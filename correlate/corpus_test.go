package correlate

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The real artifact sets live outside the repository (see the project
// notes); tests skip when they are absent.
const corpusRoot = "../../shared/corpus"

func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join(corpusRoot, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus %s not available (%v); skipping real-data test", dir, err)
	}
	return dir
}

// Pipeline is pipeline.Analyze: discover, parse and correlate the paths
// with the CLI's defaults. pipeline_ext_test.go (package correlate_test)
// sets it, since this package's own tests cannot import pipeline.
var Pipeline func(opt Options, paths ...string) (*Analysis, error)

func analyzeDir(t testing.TB, dir string, opt Options) *Analysis {
	t.Helper()
	a, err := Pipeline(opt, dir)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// truth is the part of a stack scenario's answer key the tests use.
type truth struct {
	Offsets   map[string]string `json:"utc_offsets_at_load_start"`
	Runserver struct {
		ByStatus     map[string]int64 `json:"requests_by_status"`
		LoginPost500 int64            `json:"login_post_500"`
	} `json:"runserver_stderr"`
	LoginFailures struct {
		ByKind map[string]int64 `json:"logger_format_lines_by_level_kind"`
	} `json:"locust_login_failures_log"`
	Pgbouncer struct {
		PoolerErrors map[string]int64 `json:"pooler_errors"`
	} `json:"pgbouncer_log"`
}

func readTruth(t *testing.T, dir string) truth {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Skipf("no truth.json in %s: %v", dir, err)
	}
	var tr truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	var c struct {
		Counts struct {
			Runserver     json.RawMessage `json:"runserver_stderr"`
			LoginFailures json.RawMessage `json:"locust_login_failures_log"`
			Pgbouncer     json.RawMessage `json:"pgbouncer_log"`
		} `json:"counts"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		raw json.RawMessage
		dst any
	}{{c.Counts.Runserver, &tr.Runserver}, {c.Counts.LoginFailures, &tr.LoginFailures}, {c.Counts.Pgbouncer, &tr.Pgbouncer}} {
		if len(x.raw) > 0 {
			if err := json.Unmarshal(x.raw, x.dst); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tr
}

// offsetSeconds reads "+07:00".
func offsetSeconds(t *testing.T, s string) int64 {
	t.Helper()
	if len(s) != 6 {
		t.Fatalf("offset %q", s)
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[4:6])
	off := int64(h*3600 + m*60)
	if s[0] == '-' {
		off = -off
	}
	return off
}

// processOf maps a stack file to the truth's process key.
var processOf = map[string]string{
	"logs/django_errors.log":         "django_process",
	"logs/auth_debug.log":            "django_process",
	"logs/runserver_8000.err.log":    "runserver_request_lines",
	"logs/locust_login_failures.log": "locust_process",
	"locust.log":                     "locust_process",
	"pgbouncer.log":                  "pgbouncer_process",
}

func TestStackClocksMatchTruth(t *testing.T) {
	for _, sc := range []string{"healthy", "pool_exhaustion", "slow_exports"} {
		t.Run(sc, func(t *testing.T) {
			dir := corpusDir(t, "stack/"+sc)
			tr := readTruth(t, dir)
			a := analyzeDir(t, dir, Options{})
			checked := 0
			for _, c := range a.Clocks {
				proc, ok := processOf[c.File]
				if !ok {
					t.Errorf("unexpected log file %s", c.File)
					continue
				}
				if strings.HasPrefix(c.Evidence, "no events parsed") {
					continue // an empty log (healthy has no server errors)
				}
				want := offsetSeconds(t, tr.Offsets[proc])
				if c.Method == "unknown" || c.OffsetS != want {
					t.Errorf("%s: %s %s (%d s), want %s — %s", c.File, c.Method, c.Zone, c.OffsetS, tr.Offsets[proc], c.Evidence)
				}
				if proc == "pgbouncer_process" && c.Method != "explicit" {
					t.Errorf("pgbouncer clock %s, want explicit", c.Method)
				}
				t.Logf("%-32s %-10s %6d %-17s conf %.2f", c.File, c.Zone, c.OffsetS, c.Method, c.Confidence)
				checked++
			}
			if checked < 5 {
				t.Errorf("only %d clocks checked", checked)
			}
			if len(a.Runs) != 1 || len(a.Orphans) != 0 {
				t.Fatalf("%d runs, orphans %v", len(a.Runs), a.Orphans)
			}
			r := a.Runs[0]
			if len(r.Logs) < 4 {
				t.Errorf("run uses only %v", r.Logs)
			}
			ls := r.LinkStats
			t.Logf("5xx %d: traceback %d, pooler %d, auth %d, locust %d, unlinked %d", ls.ServerErrors, ls.WithTraceback, ls.WithPooler, ls.WithAuth, ls.WithLocust, ls.Unlinked)
			if ls.ServerErrors != tr.Runserver.ByStatus["500"] {
				t.Errorf("%d server errors, truth %d", ls.ServerErrors, tr.Runserver.ByStatus["500"])
			}
			if ls.WithAuth != tr.Runserver.LoginPost500 {
				t.Errorf("%d 5xx linked to auth_debug, truth has %d login 500s", ls.WithAuth, tr.Runserver.LoginPost500)
			}
			if want := tr.LoginFailures.ByKind["ERROR login_server_error"]; ls.LocustFailures != want || ls.WithLocust != want {
				t.Errorf("Locust login failures %d (linked %d), truth %d", ls.LocustFailures, ls.WithLocust, want)
			}
			if ls.PoolerErrorTotal != tr.Pgbouncer.PoolerErrors["query_wait_timeout"] {
				t.Errorf("%d pooler errors in the window, truth %d", ls.PoolerErrorTotal, tr.Pgbouncer.PoolerErrors["query_wait_timeout"])
			}
		})
	}
}

func TestPoolExhaustionLinks(t *testing.T) {
	dir := corpusDir(t, "stack/pool_exhaustion")
	a := analyzeDir(t, dir, Options{})
	r := a.Runs[0]
	ls := r.LinkStats
	if ls.ServerErrors == 0 {
		t.Fatal("no server errors found")
	}
	tb := float64(ls.WithTraceback) / float64(ls.ServerErrors)
	pool := float64(ls.WithPooler) / float64(ls.ServerErrors)
	t.Logf("linked: %.1f%% to a traceback, %.1f%% to a pooler error (%d 5xx)", 100*tb, 100*pool, ls.ServerErrors)
	// Measured 100% / 100% (93 of 93); the thresholds leave room for
	// parser changes without hiding a broken linker.
	if tb < 0.9 || pool < 0.8 {
		t.Errorf("linked %.2f to tracebacks (want ≥ 0.90), %.2f to pooler errors (want ≥ 0.80)", tb, pool)
	}
	login := 0
	for _, ch := range r.Chains {
		if ch.Path != "/accounts/login/" {
			continue
		}
		login++
		if ch.Traceback == nil || ch.Pooler == nil || ch.AuthResponse == nil || ch.Locust == nil {
			t.Errorf("login 500 at %s not fully linked: %+v", ch.Anchor.Time, ch)
			continue
		}
		if !strings.Contains(ch.ExcMessage, "query_wait_timeout") {
			t.Errorf("login 500 exception %q", ch.ExcMessage)
		}
		if ch.Pooler.Time.After(ch.ServerError.Time) {
			t.Errorf("pooler error %s after the server error %s", ch.Pooler.Time, ch.ServerError.Time)
		}
	}
	if login == 0 {
		t.Error("no login 500 chains")
	}
	if len(r.Incidents) == 0 || r.Incidents[0].FirstSources[0] != "pgbouncer" {
		t.Errorf("incidents %+v: the pool should show first", r.Incidents)
	}
	found := false
	for _, c := range r.Clusters {
		if c.Kind == "message" && strings.Contains(c.Template, "pooler error: query_wait_timeout") {
			found = true
			if c.Count != ls.PoolerErrorTotal {
				t.Errorf("pooler error template counts %d, want %d", c.Count, ls.PoolerErrorTotal)
			}
		}
	}
	if !found {
		t.Error("no message cluster for the pooler errors")
	}
}

// firstEpoch reads the first data row's Timestamp of a _stats_history.csv.
func firstEpoch(t *testing.T, file string) time.Time {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		field, _, _ := strings.Cut(sc.Text(), ",")
		if n, err := strconv.ParseInt(field, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Time{}
}

func TestAHSPRuns(t *testing.T) {
	dir := corpusDir(t, "ahsp")
	a := analyzeDir(t, dir, Options{})
	hist, _ := filepath.Glob(filepath.Join(dir, "*_stats_history.csv"))
	if len(a.Runs) != len(hist) {
		t.Errorf("%d runs, %d history files", len(a.Runs), len(hist))
	}
	for _, h := range hist {
		name := strings.TrimSuffix(filepath.Base(h), "_stats_history.csv")
		r := a.Run(name)
		if r == nil {
			t.Errorf("run %s missing", name)
			continue
		}
		if want := firstEpoch(t, h); !want.IsZero() && !r.Start.Equal(want) && r.WindowSource == "history" {
			t.Errorf("%s starts %s, history %s", name, r.Start, want)
		}
		if !hasMsg(a, "run "+name+": no log events") {
			t.Errorf("%s: missing logs not reported", name)
		}
		t.Logf("%-55s %s .. %s %-13s users %d", name, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), r.WindowSource, r.UsersMax)
	}
	// The v18 run's name stamp (11:42:25 local) against its history
	// (03:42:2x UTC): the load host runs on UTC+8, though the user's
	// documents call it WIB.
	r := a.Run("hasil_test_v18_100u_pgbouncer_redis_20260111_114225")
	if r == nil {
		t.Fatal("v18 run missing")
	}
	if r.WindowSource != "history+html" {
		t.Errorf("v18 window from %s, want history+html", r.WindowSource)
	}
	var stamp *Clock
	for i := range r.Clock {
		if r.Clock[i].Method == "file-name-stamp" {
			stamp = &r.Clock[i]
		}
	}
	if stamp == nil || stamp.OffsetS != 8*3600 || stamp.Zone != "UTC+08:00" {
		t.Fatalf("v18 stamp clock %+v", stamp)
	}
	t.Logf("v18 stamp: %s", stamp.Evidence)
}

// samples/many-runs: three runs a few seconds apart share appended logs;
// only run3 exhausts the pool (samples/many-runs/SCENARIO.md).
func TestManyRunsSliceByRun(t *testing.T) {
	dir := "../samples/many-runs"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not available: %v", dir, err)
	}
	a := analyzeDir(t, dir, Options{})
	if len(a.Runs) != 3 {
		t.Fatalf("%d runs", len(a.Runs))
	}
	for _, c := range a.Clocks {
		if !strings.HasPrefix(c.Evidence, "no events parsed") && c.OffsetS != 7*3600 {
			t.Errorf("%s: %s %s", c.File, c.Method, c.Zone)
		}
	}
	seen := map[string]string{}
	for _, r := range a.Runs {
		for _, e := range r.Events.All() {
			k := e.File() + ":" + strconv.FormatInt(e.Line(), 10)
			if other, dup := seen[k]; dup {
				t.Fatalf("%s is in %s and %s", k, other, r.Name)
			}
			seen[k] = r.Name
		}
		ls := r.LinkStats
		t.Logf("%s: %d events, %d 5xx, %d pooler errors", r.Name, r.Events.Len(), ls.ServerErrors, ls.PoolerErrorTotal)
		clean := r.Name != "hasil_test_run3"
		if clean != (ls.ServerErrors == 0 && ls.PoolerErrorTotal == 0) {
			t.Errorf("%s: %d 5xx, %d pooler errors", r.Name, ls.ServerErrors, ls.PoolerErrorTotal)
		}
	}
}

func TestStackDeterministic(t *testing.T) {
	dir := corpusDir(t, "stack/pool_exhaustion")
	var out []string
	for range 2 {
		b, err := json.Marshal(analyzeDir(t, dir, Options{}))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	if out[0] != out[1] {
		t.Error("two analyses of the same folder differ")
	}
}
