package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Log text is attacker-controlled (a URL path, an exception message, a
// Locust error string). These payloads ride in real lines of
// samples/pool-exhaustion that the diagnosis cites as evidence.
const (
	// pathPayload has no space so the request line and the Django record
	// still parse; it must land in a URL path.
	pathPayload = "</table><script>alert(1)</script>[click](http://evil.example)```|\x1b[31m\x1b]0;title\x07\x1b]8;;http://x\x1b\\"
	// textPayload goes into free text (a PgBouncer user, a Locust error).
	textPayload = "</table><script>alert(1)</script> [click](http://evil.example) ``` | \x1b[31mred\x1b]0;title\x07 \x1b]8;;http://x\x1b\\link"
)

// neutral turns a payload into a harmless string of the same shape: every
// byte but letters, digits, '/' and ' ' becomes 'x', so path segments and
// words stay where they were.
func neutral(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == ' ') {
			b[i] = 'x'
		}
	}
	return string(b)
}

// injectedSample copies samples/pool-exhaustion into a temporary folder and
// plants the payloads (or their neutral twins) in lines the diagnosis
// cites: the Django "Internal Server Error: PATH" record and its runserver
// request line, a PgBouncer pooler error, and a Locust failure row.
func injectedSample(t *testing.T, path, text string) string {
	t.Helper()
	src := filepath.Join("..", "..", "samples", "pool-exhaustion")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("samples/pool-exhaustion not found: %v", err)
	}
	dir := t.TempDir()
	// The path of the first "Internal Server Error" record: the diagnosis
	// cites that record and its request line.
	first, err := os.ReadFile(filepath.Join(src, "logs", "django_errors.log"))
	if err != nil {
		t.Fatal(err)
	}
	const ise = "Internal Server Error: "
	i := bytes.Index(first, []byte(ise))
	if i < 0 {
		t.Fatal("no Internal Server Error record in samples/pool-exhaustion/logs/django_errors.log")
	}
	endpoint := string(first[i+len(ise):])
	endpoint = endpoint[:strings.IndexAny(endpoint, " \n")]
	intoPath := func(s string) string { return strings.ReplaceAll(s, endpoint, endpoint+path+"/") }
	edits := map[string]func(string) string{
		"logs/django_errors.log":      intoPath,
		"logs/runserver_8000.err.log": intoPath,
		"pgbouncer.log": func(s string) string {
			return strings.Replace(s, "pooler error: query_wait_timeout\n", "pooler error: query_wait_timeout "+text+"\n", 1)
		},
		"hasil_test_pool_exhaustion_failures.csv": func(s string) string {
			i := strings.Index(s, "Error('")
			if i < 0 {
				return s
			}
			j := i + strings.Index(s[i:], "')")
			return s[:j] + " " + text + s[j:]
		},
	}
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit := edits[filepath.ToSlash(rel)]; edit != nil {
			s := edit(string(b))
			if s == string(b) {
				t.Fatalf("%s: the line to plant the payload in is gone", rel)
			}
			b = []byte(s)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// mdShape is the rough structure of a markdown document.
type mdShape struct {
	headings, tableRows, fences int
	outsideCode                 string // text outside fences and code spans
}

var codeSpan = regexp.MustCompile("(`+)")

// markdownShape counts headings, table rows and fence lines, and strips
// fenced blocks and inline code spans (CommonMark: a run of n backticks
// closes at the next run of exactly n).
func markdownShape(md string) mdShape {
	var sh mdShape
	var out strings.Builder
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		trim := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			sh.fences++
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		if strings.HasPrefix(line, "#") {
			sh.headings++
		}
		if strings.HasPrefix(line, "|") {
			sh.tableRows++
		}
		out.WriteString(stripCodeSpans(line))
		out.WriteByte('\n')
	}
	sh.outsideCode = out.String()
	return sh
}

func stripCodeSpans(line string) string {
	var b strings.Builder
	for {
		loc := codeSpan.FindStringIndex(line)
		if loc == nil {
			b.WriteString(line)
			return b.String()
		}
		n := loc[1] - loc[0]
		b.WriteString(line[:loc[0]])
		rest := line[loc[1]:]
		closed := false
		for off := 0; ; {
			m := codeSpan.FindStringIndex(rest[off:])
			if m == nil {
				break
			}
			if m[1]-m[0] == n {
				line = rest[off+m[1]:]
				closed = true
				break
			}
			off += m[1]
		}
		if !closed { // an unmatched run is literal text
			b.WriteString(line[loc[0]:loc[1]])
			line = rest
		}
	}
}

func TestInjectionInEvidence(t *testing.T) {
	payload := injectedSample(t, pathPayload, textPayload)
	clean := injectedSample(t, neutral(pathPayload), neutral(textPayload))
	analyze := func(dir string, extra ...string) string {
		args := append([]string{"analyze", "--fail-on", "none", "--min-parsed", "0"}, extra...)
		stdout, stderr, code := runCLI(append(args, dir)...)
		if code != exitOK {
			t.Fatalf("analyze %v: exit %d\n%s", extra, code, stderr)
		}
		return stdout
	}

	t.Run("markdown", func(t *testing.T) {
		md := analyze(payload, "--format", "markdown")
		got, want := markdownShape(md), markdownShape(analyze(clean, "--format", "markdown"))
		if !strings.Contains(md, "alert(1)") || !strings.Contains(md, "evil.example") {
			t.Fatalf("the payload did not become evidence; the test proves nothing:\n%s", md)
		}
		if got.headings != want.headings || got.tableRows != want.tableRows {
			t.Errorf("structure changed by the payload: %d headings, %d table rows; without it %d, %d",
				got.headings, got.tableRows, want.headings, want.tableRows)
		}
		if got.fences%2 != 0 || got.fences != want.fences {
			t.Errorf("%d fence lines (without the payload %d): a fence was opened by log text", got.fences, want.fences)
		}
		for _, bad := range []string{"<script", "</table", "[click](", "\x1b", "\x07"} {
			if strings.Contains(got.outsideCode, bad) {
				i := strings.Index(got.outsideCode, bad)
				t.Errorf("%q outside code spans: …%s…", bad, got.outsideCode[max(0, i-80):min(len(got.outsideCode), i+80)])
			}
		}
		if bytes.ContainsRune([]byte(md), 0x1b) {
			t.Errorf("markdown holds an ESC byte")
		}
	})

	t.Run("text", func(t *testing.T) {
		for _, color := range []string{"auto", "never"} {
			out := analyze(payload, "--format", "text", "--color", color)
			if !strings.Contains(out, "alert(1)") {
				t.Fatalf("--color %s: the payload did not become evidence:\n%s", color, out)
			}
			if i := strings.IndexByte(out, 0x1b); i >= 0 {
				t.Errorf("--color %s: ESC byte in text output: %q", color, out[max(0, i-60):min(len(out), i+60)])
			}
			if strings.ContainsRune(out, 0x07) {
				t.Errorf("--color %s: BEL byte in text output", color)
			}
		}
		// With colour on, logcorr's own SGR codes are allowed; the
		// payload's OSC (title, hyperlink) and its red are not.
		out := analyze(payload, "--format", "text", "--color", "always")
		for _, bad := range []string{"\x1b]", "\x07", "\x1b[31mred"} {
			if strings.Contains(out, bad) {
				t.Errorf("--color always: payload sequence %q reached the terminal", bad)
			}
		}
	})

	t.Run("json", func(t *testing.T) {
		out := analyze(payload, "--format", "json")
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON")
		}
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("raw control bytes in JSON: they must be \\u escapes")
		}
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		// The payload is data: it comes back intact from a string value.
		var found bool
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				if strings.Contains(x, "<script>alert(1)</script>") {
					found = true
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					if strings.Contains(k, "<script") {
						t.Errorf("payload became a JSON key: %q", k)
					}
					walk(e)
				}
			}
		}
		walk(v)
		if !found {
			t.Errorf("no JSON string value holds the payload: it was dropped or mangled")
		}
	})
}

// The commands added after analyze show the same log text: every output
// keeps the payload inert.
func TestInjectionInOtherCommands(t *testing.T) {
	payload := injectedSample(t, pathPayload, textPayload)
	for _, c := range laterCommands() {
		if !commandsPresent()[c[0]] {
			continue
		}
		name := strings.Join(c, " ")
		stdout, stderr, code := runCLI(append(append([]string(nil), c...), payload)...)
		if code == exitUsage {
			t.Errorf("%s: exit %d\n%s", name, code, stderr)
			continue
		}
		t.Logf("%s: payload shown %d times", name, strings.Count(stdout, "alert(1)"))
		if strings.ContainsAny(stdout, "\x1b\x07") {
			t.Errorf("%s: raw ESC/BEL in the output", name)
		}
		switch {
		case strings.Contains(name, "json"):
			if !json.Valid([]byte(stdout)) {
				t.Errorf("%s: invalid JSON", name)
			}
		case strings.Contains(name, "markdown") || c[0] == "report":
			sh := markdownShape(stdout)
			if sh.fences%2 != 0 {
				t.Errorf("%s: %d fence lines: a fence was left open", name, sh.fences)
			}
			for _, bad := range []string{"<script", "</table", "[click]("} {
				if strings.Contains(sh.outsideCode, bad) {
					t.Errorf("%s: %q outside code spans", name, bad)
				}
			}
		}
	}
}

// A user rule with catastrophic backtracking is stopped by the match
// budget, disabled for the whole analysis and reported; an oversized
// pattern is rejected by lint.
func TestHostileRulePatterns(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	long := strings.Repeat("a", 50000) + "b"
	body := "2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /x/\n" +
		"2026-11-29 20:06:43,389 ERROR django.request " + long + "\n"
	if err := os.WriteFile(filepath.Join(logs, "django_errors.log"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// A run for the records to belong to: the Locust CSVs of the secrets
	// test's folder (20:06:22–20:06:51 at UTC+7).
	csvs := secretArtifacts(t)
	for _, name := range []string{"hasil_test_secret_stats.csv", "hasil_test_secret_stats_history.csv"} {
		b, err := os.ReadFile(filepath.Join(csvs, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(logs, name), b, 0o644)
	}
	rule := `id: catastrophic-backtracking
title: A pattern that backtracks exponentially
severity: high
category: server
doc: Written by the issue 8 tests; (a+)+$ on "aaa...b" never finishes without a timeout.
match:
  sources: [django]
  message: '(a+)+$'
`
	rulePath := filepath.Join(dir, "rules", "slow.yaml")
	os.MkdirAll(filepath.Dir(rulePath), 0o755)
	if err := os.WriteFile(rulePath, []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "logs")

	t.Run("timeout", func(t *testing.T) {
		for _, args := range [][]string{
			{"rules", "test", "--tz", "+07:00", "--rules", rulePath, "catastrophic-backtracking", data},
			{"analyze", "--tz", "+07:00", "--rules", rulePath, "--format", "json", "--fail-on", "none", "--min-parsed", "0", data},
		} {
			stdout, stderr, code := runCLI(args...)
			if code != exitOK {
				t.Errorf("%v: exit %d\n%s", args[:2], code, stderr)
			}
			all := stdout + stderr
			if !strings.Contains(all, "catastrophic-backtracking: disabled for the whole analysis") || !strings.Contains(all, "matching budget") {
				t.Errorf("%v: the disabled rule is not reported:\nstdout: %.2000s\nstderr: %s", args[:2], stdout, stderr)
			}
			// The record that ran out first is not named: on a busy
			// machine another could be, and the report must not change.
			if strings.Contains(all, "django_errors.log:2: pattern") {
				t.Errorf("%v: the message names a record:\n%.2000s", args[:2], all)
			}
			for _, line := range strings.Split(all, "\n") {
				if strings.Contains(line, "catastrophic-backtracking") && strings.Contains(line, strings.Repeat("a", 1000)) {
					t.Errorf("%v: the timeout message echoes the %d-byte input line", args[:2], len(long))
				}
			}
		}
	})

	t.Run("oversized", func(t *testing.T) {
		big := strings.Replace(rule, "'(a+)+$'", "'"+strings.Repeat("(?:x|y)", 1000)+"'", 1)
		big = strings.Replace(big, "catastrophic-backtracking", "oversized-pattern", 1)
		p := filepath.Join(dir, "big.yaml")
		if err := os.WriteFile(p, []byte(big), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := runCLI("rules", "lint", "--rules", p)
		if code == exitOK {
			t.Fatalf("rules lint accepted a %d-byte pattern:\n%s", 7000, stdout)
		}
		if all := stdout + stderr; !strings.Contains(all, "oversized-pattern") && !strings.Contains(all, "big.yaml") || !strings.Contains(all, "cap") {
			t.Errorf("lint message does not name the rule and the cap:\nstdout: %s\nstderr: %s", stdout, stderr)
		}
	})
}
