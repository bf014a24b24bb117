package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A CSV holding inf, -Infinity or NaN, or a history timestamp in year
// 10000, never kills the JSON output: every JSON document is written and
// parses, and the input's messages say what was wrong.
func TestJSONSurvivesNonFiniteAndYear10000(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"nonfinite_stats.csv", "year10000_stats.csv", "year10000_stats_history.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	for _, args := range [][]string{
		{"analyze", "--format", "json", "--fail-on", "none", "--min-parsed", "0"},
		{"timeline", "--format", "json"},
		{"compare", "--format", "json", "--min-parsed", "0"},
		{"parse", "--json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			stdout, stderr, code := runCLI(append(args, dir)...)
			if code == exitUsage {
				t.Fatalf("exit %d\nstderr: %s", code, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%.300s", err, stdout)
			}
			if args[0] != "analyze" && args[0] != "parse" {
				return
			}
			for _, want := range []string{"not a finite number", "year 10000"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("no message says %q", want)
				}
			}
		})
	}
}

// A p95 of -9000 ms does not "meet" p95<2s: the figure is flagged as
// impossible, read as null, and the gate fails as not evaluated.
func TestNegativeP95FailsTheGate(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", "negative_p95_stats.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "negative_p95_stats.csv"), b, 0o644)
	junit := filepath.Join(t.TempDir(), "gates.xml")
	for _, gate := range []string{"p95<2s", `endpoint["[AUTH] Login POST"].p95<2s`, "median<1s"} {
		_, stderr, code := runCLI("analyze", "--slo", gate, "--fail-on", "none", "--junit", junit, dir)
		if code != exitGate {
			t.Errorf("%s: exit %d, want %d\nstderr: %s", gate, code, exitGate, stderr)
		}
		if !strings.Contains(stderr, "gate failed") {
			t.Errorf("%s: no failed gate reported:\n%s", gate, stderr)
		}
		if doc := readJUnit(t, junit); doc.Failures != 1 {
			t.Errorf("%s: JUnit %d failures, want 1", gate, doc.Failures)
		}
	}
	stdout, _, _ := runCLI("parse", "--json", dir)
	if !strings.Contains(stdout, "-9000 is negative, an impossible figure") {
		t.Errorf("parse --json does not flag the impossible figures:\n%.600s", stdout)
	}
}
