package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// fuzzHistory is fixed: the Locust history of the corpus run the seeds
// come from (11:57:01–11:58:21 UTC), so that the mutated logs fall in a
// run and reach correlation and the rules.
var fuzzHistory = mustRead("testdata/fuzz_seed/stats_history.csv")

func mustRead(p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzAnalyzeFolder mutates a runserver log, a django_errors.log and a
// Locust stats CSV, writes them into a folder as Locust and Django name
// them, and runs the whole pipeline (discover → parse → correlate → rules
// → JSON report) through the CLI. Whatever the bytes: no panic, an exit
// code from the contract, and valid JSON whenever a report was written.
func FuzzAnalyzeFolder(f *testing.F) {
	seed := func(dir string) (rs, dj, st []byte, ok bool) {
		rs, err1 := os.ReadFile(filepath.Join(dir, "runserver_8000.err.log"))
		dj, err2 := os.ReadFile(filepath.Join(dir, "django_errors.log"))
		st, err3 := os.ReadFile(filepath.Join(dir, "stats.csv"))
		return rs, dj, st, err1 == nil && err2 == nil && err3 == nil
	}
	// Excerpts of ../shared/corpus/stack/pool_exhaustion (committed).
	rs, dj, st, ok := seed(filepath.Join("testdata", "fuzz_seed"))
	if !ok {
		f.Fatal("testdata/fuzz_seed is incomplete")
	}
	f.Add(rs, dj, st)
	f.Add(rs, []byte{}, st)
	f.Add([]byte{}, dj, []byte{})
	f.Add(bytes.ReplaceAll(rs, []byte("\n"), []byte("\r\n")), dj[:len(dj)/2], st[:len(st)/3])
	// More of the real corpora when they are present.
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	for _, run := range []string{"pool_exhaustion", "slow_exports", "healthy"} {
		d := filepath.Join(corpus, "stack", run)
		r, _ := os.ReadFile(filepath.Join(d, "logs", "runserver_8000.err.log"))
		j, _ := os.ReadFile(filepath.Join(d, "logs", "django_errors.log"))
		s, _ := os.ReadFile(filepath.Join(d, "hasil_test_"+run+"_stats.csv"))
		if r == nil && j == nil && s == nil {
			continue
		}
		f.Add(head(r, 6000), head(j, 6000), s)
	}
	if stats, _ := filepath.Glob(filepath.Join(corpus, "ahsp", "*_stats.csv")); len(stats) > 0 {
		s, _ := os.ReadFile(stats[0])
		f.Add(rs, dj, head(s, 8000))
	}

	f.Fuzz(func(t *testing.T, runserver, django, stats []byte) {
		dir := t.TempDir()
		files := map[string][]byte{
			"logs/runserver_8000.err.log":       runserver,
			"logs/django_errors.log":            django,
			"hasil_test_fuzz_stats.csv":         stats,
			"hasil_test_fuzz_stats_history.csv": fuzzHistory,
		}
		for name, b := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// A hang is a failure too: on small input the pipeline takes
		// milliseconds. Dump every goroutine so the loop can be found.
		watchdog := time.AfterFunc(hangAfter, func() {
			buf := make([]byte, 8<<20)
			n := runtime.Stack(buf, true)
			os.WriteFile(filepath.Join(os.TempDir(), "FuzzAnalyzeFolder-hang.txt"), buf[:n], 0o644)
			panic(fmt.Sprintf("analyze ran over %v on %d+%d+%d bytes; goroutines in %s", hangAfter, len(runserver), len(django), len(stats), filepath.Join(os.TempDir(), "FuzzAnalyzeFolder-hang.txt")))
		})
		defer watchdog.Stop()
		var stdout, stderr bytes.Buffer
		code := run([]string{"logcorr", "analyze", "--format", "json", dir}, &stdout, &stderr)
		switch code {
		case exitOK, exitGate, exitCoverage:
			if !json.Valid(stdout.Bytes()) {
				t.Fatalf("exit %d with invalid JSON on stdout:\n%.2000s\nstderr: %s", code, stdout.String(), stderr.String())
			}
		case exitUsage:
		default:
			t.Fatalf("exit code %d is not in the contract (0, 1, 2, 3); stderr: %s", code, stderr.String())
		}
	})
}

// hangAfter bounds one analysis of the fuzzer's small inputs.
const hangAfter = 20 * time.Second

// head returns at most n bytes of b, cut after a line end.
func head(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	b = b[:n]
	if i := bytes.LastIndexByte(b, '\n'); i > 0 {
		b = b[:i+1]
	}
	return b
}
