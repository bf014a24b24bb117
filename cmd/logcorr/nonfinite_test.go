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
			if args[0] != "analyze" {
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
