package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

const poolSample = "../../samples/pool-exhaustion"

// Usage errors are one line on stderr with exit 2; help that was asked for
// is on stdout with exit 0.
func TestUsageAndHelp(t *testing.T) {
	cases := []struct {
		args       []string
		code       int
		stdout     string // substring; "" = must be empty
		stderr     string // substring; "" = must be empty
		stderrLine bool   // stderr must be one line
	}{
		{nil, exitUsage, "", "give a command", true},
		{[]string{"analyse", "x"}, exitUsage, "", `did you mean "analyze"`, true},
		{[]string{"help", "analyze"}, exitOK, "EXIT CODES", "", false},
		{[]string{"help", "nosuch"}, exitUsage, "", `unknown command "nosuch"`, true},
		{[]string{"analyze", "--bogus", "x"}, exitUsage, "", "flag provided but not defined: -bogus", true},
		{[]string{"compare", "--format"}, exitUsage, "", "flag needs an argument", true},
		{[]string{"rules"}, exitUsage, "", "give a subcommand", true},
		{[]string{"rules", "bogus"}, exitUsage, "", `unknown command "bogus"`, true},
		{[]string{"report"}, exitUsage, "", "weekly", true},
		{[]string{"--version"}, exitOK, "logcorr version ", "", false},
		{[]string{"completion", "bash"}, exitOK, "complete -o bashdefault", "", false},
		{[]string{"completion", "zsh"}, exitOK, "#compdef logcorr", "", false},
		{[]string{"completion", "fish"}, exitOK, "complete -c logcorr", "", false},
		{[]string{"completion", "tcsh"}, exitUsage, "", "bash, zsh or fish", true},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			stdout, stderr, code := invoke(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
			check := func(name, got, want string) {
				if want == "" && got != "" {
					t.Errorf("%s should be empty, got:\n%.400s", name, got)
				}
				if want != "" && !strings.Contains(got, want) {
					t.Errorf("%s lacks %q:\n%.400s", name, want, got)
				}
			}
			check("stdout", stdout, c.stdout)
			check("stderr", stderr, c.stderr)
			if c.stderrLine && strings.Count(strings.TrimSuffix(stderr, "\n"), "\n") > 0 {
				t.Errorf("stderr is more than one line:\n%s", stderr)
			}
		})
	}
}

// Shell completion answers with the flags that match what was typed
// (urfave/cli reads the typed word from os.Args, as in a real shell).
func TestCompletionOfFlags(t *testing.T) {
	args := []string{"logcorr", "analyze", "--fo", "--generate-bash-completion"}
	saved := os.Args
	os.Args = args
	defer func() { os.Args = saved }()
	stdout, _, code := invoke(t, args[1:]...)
	if code != exitOK || !strings.Contains(stdout, "--format\n") || !strings.Contains(stdout, "--follow-symlinks") || strings.Contains(stdout, "--slo") {
		t.Errorf("completion of --fo: exit %d:\n%s", code, stdout)
	}
}

// Every command's help shows an example of it; analyze and compare, which
// decide a verdict, list the exit codes.
func TestEveryCommandHasAnExample(t *testing.T) {
	var walk func(cmds []*cli.Command, prefix []string)
	walk = func(cmds []*cli.Command, prefix []string) {
		for _, c := range cmds {
			if c.Name == "help" {
				continue
			}
			path := append(append([]string(nil), prefix...), c.Name)
			stdout, _, code := invoke(t, append(path, "--help")...)
			name := strings.Join(path, " ")
			if code != exitOK || !strings.Contains(stdout, "EXAMPLES:") || !strings.Contains(stdout, "logcorr "+name) {
				t.Errorf("%s --help: exit %d, no example of the command:\n%.300s", name, code, stdout)
			}
			if (name == "analyze" || name == "compare") && !strings.Contains(stdout, "EXIT CODES:") {
				t.Errorf("%s --help lists no exit codes", name)
			}
			walk(c.Subcommands, path)
		}
	}
	walk(newApp().Commands, nil)
}

func TestParseInputFormatAlias(t *testing.T) {
	log := filepath.Join(poolSample, "pgbouncer.log")
	a, _, c1 := invoke(t, "parse", "--input-format", "pgbouncer", "--json", log)
	b, _, c2 := invoke(t, "parse", "--format", "pgbouncer", "--json", log)
	if c1 != exitOK || c2 != exitOK || a != b || !strings.Contains(a, `"format": "pgbouncer"`) {
		t.Errorf("--input-format (exit %d) and the deprecated --format (exit %d) differ or fail:\n%.300s", c1, c2, a)
	}
	help, _, _ := invoke(t, "parse", "--help")
	if !strings.Contains(help, "deprecated") {
		t.Error("parse --help does not mark --format deprecated")
	}
	if _, stderr, code := invoke(t, "parse", "--input-format", "nosuch", log); code != exitUsage || !strings.Contains(stderr, "--input-format") {
		t.Errorf("unknown input format: exit %d, %q", code, stderr)
	}
}

// A failing run says so in one line on stderr; --quiet says nothing and
// leaves the verdict to the exit code.
func TestVerdictLineAndQuiet(t *testing.T) {
	stdout, stderr, code := invoke(t, "analyze", poolSample)
	if code != exitGate || stdout == "" {
		t.Fatalf("exit %d, %d bytes of report", code, len(stdout))
	}
	want := "logcorr: FAIL (exit 1): hasil_test_pool_exhaustion (critical finding pgbouncer-pool-exhausted"
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); !strings.HasPrefix(lines[len(lines)-1], want) {
		t.Errorf("last stderr line %q, want it to start %q", lines[len(lines)-1], want)
	}
	stdout, stderr, code = invoke(t, "analyze", "--quiet", "--slo", "p95<2s", poolSample)
	if code != exitGate || stdout != "" || stderr != "" {
		t.Errorf("--quiet: exit %d, stdout %d bytes, stderr %q; want exit 1 and silence", code, len(stdout), stderr)
	}
	out := filepath.Join(t.TempDir(), "r.json")
	if _, _, code = invoke(t, "analyze", "-q", "--format", "json", "--out", out, poolSample); code != exitGate {
		t.Errorf("-q --out: exit %d", code)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("--quiet must still write --out: %v", err)
	}
	if _, stderr, code = invoke(t, "analyze", "--fail-on", "none", poolSample); code != exitOK || strings.Contains(stderr, "FAIL") {
		t.Errorf("passing run: exit %d, stderr %q", code, stderr)
	}
}

func TestColorDecision(t *testing.T) {
	cases := []struct {
		flag        string
		toFile, tty bool
		noColor     string
		want        bool
	}{
		{"auto", false, true, "", true},
		{"auto", false, true, "1", false},
		{"auto", false, false, "", false},
		{"auto", true, true, "", false},
		{"always", true, false, "1", true},
		{"never", false, true, "", false},
	}
	for _, c := range cases {
		if got := colorWanted(c.flag, c.toFile, c.tty, c.noColor); got != c.want {
			t.Errorf("colorWanted(%+v) = %v", c, got)
		}
	}
}

func TestProgressDecision(t *testing.T) {
	cases := []struct {
		total      int64
		tty, quiet bool
		ci         string
		want       bool
		name       string
	}{
		{100 << 20, true, false, "", true, "large input on a terminal"},
		{10 << 20, true, false, "", false, "small input"},
		{100 << 20, false, false, "", false, "stderr redirected"},
		{100 << 20, true, true, "", false, "--quiet"},
		{100 << 20, true, false, "true", false, "CI with a pty"},
		{progressThreshold, true, false, "", true, "at the threshold"},
	}
	for _, c := range cases {
		if got := wantProgress(c.total, c.tty, c.quiet, c.ci); got != c.want {
			t.Errorf("%s: wantProgress = %v, want %v", c.name, got, c.want)
		}
	}
	// A buffer is not a terminal: the CLI on real input stays silent.
	_, stderr, _ := invoke(t, "analyze", "--fail-on", "none", poolSample)
	if strings.Contains(stderr, "parsing") || strings.Contains(stderr, "\r") {
		t.Errorf("progress drawn on a non-terminal: %q", stderr)
	}
}

func TestHTMLAndMarkdownChartFiles(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	if _, stderr, code := invoke(t, "analyze", "--format", "html", "--out", html, poolSample); code != exitGate {
		t.Fatalf("html: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(b), "<svg") || !strings.HasPrefix(string(b), "<!DOCTYPE html>") {
		t.Fatalf("report.html: %v, %.200s", err, b)
	}
	md := filepath.Join(dir, "report.md")
	if _, stderr, code := invoke(t, "analyze", "--format", "markdown", "--out", md, poolSample); code != exitGate {
		t.Fatalf("markdown: exit %d: %s", code, stderr)
	}
	doc, _ := os.ReadFile(md)
	if !strings.Contains(string(doc), "](report.timeline.svg)") {
		t.Error("report.md does not link report.timeline.svg")
	}
	svg, err := os.ReadFile(filepath.Join(dir, "report.timeline.svg"))
	if err != nil || len(svg) < 1000 {
		t.Fatalf("report.timeline.svg: %v (%d bytes)", err, len(svg))
	}
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Errorf("report.timeline.svg is not well-formed: %v", err)
			}
			break
		}
	}
	// Markdown on stdout has nowhere to put a file beside it: no link.
	stdout, _, _ := invoke(t, "analyze", "--format", "markdown", poolSample)
	if strings.Contains(stdout, "timeline.svg") {
		t.Error("markdown on stdout links a chart file that was not written")
	}
}

func TestCompareMarkdownChartFile(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "cmp.md")
	many := filepath.Join("..", "..", "samples", "many-runs")
	if _, stderr, code := invoke(t, "compare", "--format", "markdown", "--out", md, many); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	doc, _ := os.ReadFile(md)
	if !strings.Contains(string(doc), "](cmp.timeline.svg)") {
		t.Error("cmp.md does not link cmp.timeline.svg")
	}
	svg, err := os.ReadFile(filepath.Join(dir, "cmp.timeline.svg"))
	if err != nil {
		t.Fatal(err)
	}
	// one chart per run, each under its run's name
	for _, run := range []string{"hasil_test_run1", "hasil_test_run2", "hasil_test_run3"} {
		if !strings.Contains(string(svg), ">Run "+run+"<") {
			t.Errorf("cmp.timeline.svg has no chart titled %s", run)
		}
	}
	stdout, _, _ := invoke(t, "compare", "--format", "markdown", many)
	if strings.Contains(stdout, "timeline.svg") {
		t.Error("compare markdown on stdout links a chart file that was not written")
	}
}

func TestGateResultsInJSON(t *testing.T) {
	stdout, _, code := invoke(t, "analyze", "--format", "json", "--fail-on", "none", "--slo", "p95<2s", "--slo", "failure_pct<50%", poolSample)
	if code != exitGate {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Runs []struct {
			Gates []struct {
				Gate    string `json:"gate"`
				Pass    bool   `json:"pass"`
				Message string `json:"message"`
			} `json:"gates"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Runs[0].Gates
	if len(g) != 2 || g[0].Gate != "p95<2s" || g[0].Pass || g[1].Gate != "failure_pct<50%" || !g[1].Pass || g[0].Message == "" {
		t.Errorf("gates in JSON: %+v", g)
	}
	stdout, _, _ = invoke(t, "analyze", "--format", "json", "--fail-on", "none", poolSample)
	if strings.Contains(stdout, `"gates"`) {
		t.Error("a document without --slo carries a gates field")
	}
}
