package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

// warningArtifacts is a run whose failures CSV has a field longer than the
// line limit, beside a django log cut short inside its gzip stream.
func warningArtifacts(t *testing.T) string {
	t.Helper()
	dir := secretArtifacts(t)
	if err := os.WriteFile(filepath.Join(dir, "hasil_test_secret_failures.csv"), bigFieldFailures(), 0o644); err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", "truncated_django_errors.log.gz"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "logs", "old_django_errors.log.gz"), gz, 0o644)
	return dir
}

// bigFieldFailures is a failures CSV of 49 rows whose tenth holds a quoted
// Error longer than the line limit, on one line.
func bigFieldFailures() []byte {
	var b strings.Builder
	b.WriteString("Method,Name,Error,Occurrences\n")
	for i := 1; i <= 49; i++ {
		msg := fmt.Sprintf("HTTPError('500 Server Error for /api/item/%d/')", i)
		if i == 10 {
			msg = "HTTPError('500 with body " + strings.Repeat("x", parsers.MaxLineBytes+4096) + "')"
		}
		fmt.Fprintf(&b, "GET,/api/item/%d/,\"%s\",1\n", i, msg)
	}
	return []byte(b.String())
}

// Warnings that a file was not read as written (a field cut at the line
// limit, a truncated gzip) reach every output format, and the report
// never says all of the input was understood.
func TestWarningsReachEveryOutput(t *testing.T) {
	dir := warningArtifacts(t)
	want := []string{
		"hasil_test_secret_failures.csv:11: a field is longer than 1048576 bytes and was cut",
		"old_django_errors.log.gz:197: the gzip stream ends early",
	}
	for _, args := range [][]string{
		{"analyze", "--format", "text"},
		{"analyze", "--format", "markdown"},
		{"analyze", "--format", "json"},
		{"timeline", "--format", "text"},
		{"timeline", "--format", "json"},
		{"parse"},
		{"parse", "--json"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, _ := runCLI(append(append(args, "--min-parsed", "0", "--fail-on", "none")[:len(args)+flagsFor(args[0])], dir)...)
			for _, w := range want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q\nstderr: %s\n%.3000s", w, stderr, stdout)
				}
			}
			if strings.Contains(stdout, "100.00 % understood") {
				t.Errorf("the report says all of the input was understood")
			}
		})
	}
	// The rows after the cut field are all there.
	stdout, _, _ := runCLI("parse", "--json", dir)
	if !strings.Contains(stdout, `"locust_failures": 48`) {
		t.Errorf("failures table does not hold the 48 rows the cut did not touch:\n%.2000s", stdout)
	}
}

// flagsFor is how many of --min-parsed 0 --fail-on none a command takes.
func flagsFor(cmd string) int {
	if cmd == "analyze" {
		return 4
	}
	return 0
}
