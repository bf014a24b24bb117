package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// junitDoc is the part of a JUnit file the gate tests read.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, path string) junitDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return doc
}

// A gate with nothing to evaluate fails: when no Locust run is found (no
// stats, history or HTML report; a history in a format logcorr does not
// read), analyze and compare exit 1 and the JUnit file holds one failing
// testcase per gate, never zero tests.
func TestGatesFailOnNothing(t *testing.T) {
	server := t.TempDir()
	os.WriteFile(filepath.Join(server, "django_errors.log"), []byte("2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /api/x/\n"), 0o644)
	garbled := t.TempDir()
	os.WriteFile(filepath.Join(garbled, "django_errors.log"), []byte("2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /api/x/\n"), 0o644)
	os.WriteFile(filepath.Join(garbled, "hasil_x_stats_history.csv"), []byte("\x00\x01\x02 not a csv \x03\n"), 0o644)
	for _, c := range []struct{ name, dir string }{{"no Locust files", server}, {"history unreadable", garbled}} {
		for _, cmd := range []string{"analyze", "compare"} {
			t.Run(c.name+"/"+cmd, func(t *testing.T) {
				junit := filepath.Join(t.TempDir(), "gates.xml")
				_, stderr, code := runCLI(cmd, "--slo", "p95<2s", "--slo", "no finding>=critical", "--junit", junit, "--min-parsed", "0", c.dir)
				if code != exitGate {
					t.Errorf("exit %d, want %d\nstderr: %s", code, exitGate, stderr)
				}
				doc := readJUnit(t, junit)
				if doc.Tests != 2 || doc.Failures != 2 {
					t.Errorf("JUnit has %d tests, %d failures; want 2 failing testcases", doc.Tests, doc.Failures)
				}
				for _, s := range doc.Suites {
					for _, tc := range s.Cases {
						if tc.Failure == nil || tc.Failure.Type != "not-evaluated" || !strings.Contains(tc.Failure.Text, "no Locust run") {
							t.Errorf("testcase %s/%s: failure %+v, want not-evaluated naming the missing run", s.Name, tc.Name, tc.Failure)
						}
					}
				}
				if !strings.Contains(stderr, "gate failed") || !strings.Contains(stderr, "no Locust run") {
					t.Errorf("stderr does not say why the gates failed:\n%s", stderr)
				}
				// The JSON says so too, at the document's top (no run to hold them).
				js, _, _ := runCLI(cmd, "--format", "json", "--slo", "p95<2s", "--slo", "no finding>=critical", "--min-parsed", "0", c.dir)
				var top struct {
					Gates []struct {
						Gate    string
						Pass    bool
						Unknown bool
					}
				}
				if err := json.Unmarshal([]byte(js), &top); err != nil || len(top.Gates) != 2 || top.Gates[0].Pass || !top.Gates[0].Unknown {
					t.Errorf("JSON top-level gates %+v (%v), want the 2 gates failed as not evaluated", top.Gates, err)
				}
				// The verdict line names what failed, never ends empty.
				if !strings.Contains(stderr, "logcorr: FAIL (exit 1): no run to evaluate (gate p95<2s failed, gate no finding>=critical failed)") {
					t.Errorf("verdict line does not name the failed gates:\n%s", stderr)
				}
			})
		}
	}
}

// --junit with no --slo gate would write a file with zero tests, which CI
// reads as a pass: it is a usage error.
func TestJUnitWithoutGates(t *testing.T) {
	dir := secretArtifacts(t)
	junit := filepath.Join(t.TempDir(), "gates.xml")
	_, stderr, code := runCLI("analyze", "--junit", junit, "--fail-on", "none", "--min-parsed", "0", dir)
	if code != exitUsage || !strings.Contains(stderr, "--junit") {
		t.Errorf("exit %d, stderr %q; want %d naming --junit", code, stderr, exitUsage)
	}
	if _, err := os.Stat(junit); err == nil {
		t.Errorf("a JUnit file was written")
	}
}

// A path named on the command line that does not exist is an input error
// (exit 2), even next to one that does; the rest of the run still goes on
// and the report names the missing path.
func TestMissingPathNextToValid(t *testing.T) {
	dir := secretArtifacts(t)
	missing := filepath.Join(t.TempDir(), "no_such_run")
	for _, args := range [][]string{
		{"analyze", "--fail-on", "none", "--min-parsed", "0", dir, missing},
		{"analyze", "--fail-on", "none", "--min-parsed", "0", "--slo", "failure_pct<100%", dir, missing},
		{"compare", "--min-parsed", "0", dir, missing},
		{"timeline", dir, missing},
		{"parse", dir, missing},
	} {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(args...)
			if code != exitUsage {
				t.Errorf("%v: exit %d, want %d\nstderr: %s", args, code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, missing) {
				t.Errorf("%v: stderr does not name %s:\n%s", args, missing, stderr)
			}
			if stdout == "" {
				t.Errorf("%v: nothing written for the paths that do exist", args)
			}
		})
	}
}
