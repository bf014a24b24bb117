package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// --out writes exactly where it is told: never through a symbolic link,
// never into a folder that does not exist.
func TestOutRefusesSymlinkAndMissingFolder(t *testing.T) {
	dir := secretArtifacts(t)
	tmp := t.TempDir()
	victim := filepath.Join(tmp, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "report.md")
	if err := os.Symlink(victim, link); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	dangling := filepath.Join(tmp, "dangling.md")
	os.Symlink(filepath.Join(tmp, "nowhere", "x.md"), dangling)
	cases := []struct {
		name, out, want string
	}{
		{"symlink to a file", link, "symbolic link"},
		{"dangling symlink", dangling, "symbolic link"},
		{"missing folder", filepath.Join(tmp, "no", "such", "folder", "report.md"), "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, format := range []string{"markdown", "json", "text"} {
				stdout, stderr, code := runCLI("analyze", "--format", format, "--out", c.out, "--fail-on", "none", "--min-parsed", "0", dir)
				if code != exitUsage {
					t.Errorf("--format %s: exit %d, want %d\nstderr: %s", format, code, exitUsage, stderr)
				}
				if !strings.Contains(stderr, "--out") || !strings.Contains(stderr, c.want) {
					t.Errorf("--format %s: message %q does not say --out and %q", format, strings.TrimSpace(stderr), c.want)
				}
				if stdout != "" {
					t.Errorf("--format %s: the report went to stdout instead: %.200s", format, stdout)
				}
			}
			if b, _ := os.ReadFile(victim); string(b) != "keep me\n" {
				t.Errorf("the link's target was overwritten: %q", b)
			}
			if _, err := os.Stat(filepath.Join(tmp, "nowhere")); err == nil {
				t.Errorf("a folder was created for the dangling link's target")
			}
		})
	}
	// parse --out: the same refusal for the table files.
	base := filepath.Join(tmp, "tables.jsonl")
	os.Symlink(victim, filepath.Join(tmp, "tables.events.jsonl"))
	_, stderr, code := runCLI("parse", "--out", base, dir)
	if code != exitUsage || !strings.Contains(stderr, "symbolic link") {
		t.Errorf("parse --out onto a link: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me\n" {
		t.Errorf("parse --out overwrote the link's target: %q", b)
	}
}

// A folder walk stays inside the folder: a symbolic link to a folder or a
// file outside it is not followed, with or without --follow-symlinks
// (which follows links that stay inside the folders given), and a link to
// / does not walk the file system.
func TestWalkStaysInsideFolder(t *testing.T) {
	root := t.TempDir()
	inside := filepath.Join(root, "run")
	outside := filepath.Join(root, "elsewhere")
	for _, d := range []string{inside, outside, filepath.Join(inside, "archive")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	csvs := secretArtifacts(t)
	for _, name := range []string{"hasil_test_secret_stats.csv", "hasil_test_secret_stats_history.csv"} {
		b, _ := os.ReadFile(filepath.Join(csvs, name))
		os.WriteFile(filepath.Join(inside, name), b, 0o644)
	}
	outLog := "2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /outside/\n"
	os.WriteFile(filepath.Join(outside, "django_errors.log"), []byte(outLog), 0o644)
	// A file standing in for /etc/shadow: a report must never quote it.
	os.WriteFile(filepath.Join(outside, "shadow"), []byte("root:$6$plantedshadowhash:19000:0:99999:7:::\n"), 0o600)
	os.WriteFile(filepath.Join(outside, "auth_debug.log"), []byte("2026-11-29 20:06:50,723 ERROR auth_debug auth_failure status=500 path=/accounts/login/\n"), 0o644)
	os.WriteFile(filepath.Join(inside, "archive", "runserver.log"), []byte("[29/Nov/2026 20:06:43] \"GET /inside/ HTTP/1.1\" 500 145\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(inside, "logs")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	os.Symlink(filepath.Join(outside, "auth_debug.log"), filepath.Join(inside, "auth_debug.log"))
	os.Symlink(filepath.Join(outside, "shadow"), filepath.Join(inside, "shadow.log"))
	os.Symlink("/", filepath.Join(inside, "rootfs"))
	os.Symlink(filepath.Join(inside, "archive"), filepath.Join(inside, "latest"))
	os.Symlink("../archive/runserver.log", filepath.Join(inside, "archive", "again.log"))

	outsideNames := []string{"django_errors.log", "auth_debug.log", "shadow.log"}
	for _, follow := range []bool{false, true} {
		args := []string{"parse", "--json", inside}
		if follow {
			args = []string{"parse", "--json", "--follow-symlinks", inside}
		}
		stdout, stderr, code := runWithin(t, 60*time.Second, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
		for _, name := range outsideNames {
			if readPath(stdout, name) {
				t.Errorf("%v: the walk left the folder through a link: %s was read\n%s", args, name, stdout)
			}
		}
		if strings.Contains(stdout, "plantedshadowhash") {
			t.Errorf("%v: the planted shadow line reached the output", args)
		}
		if !readPath(stdout, "archive/runserver.log") {
			t.Errorf("%v: a file inside the folder was not read", args)
		}
		if !follow {
			if !strings.Contains(stdout+stderr, "symbolic link not followed") {
				t.Errorf("skipped links are not mentioned:\nstdout: %s\nstderr: %s", stdout, stderr)
			}
			continue
		}
		// Links that stay inside are followed: to a file (read, then
		// found to be a copy), to a folder (already walked).
		if !readPath(stdout, "archive/again.log") || !strings.Contains(stdout, "latest: folder already visited") {
			t.Errorf("--follow-symlinks did not follow the links inside the root:\n%s", stdout)
		}
		for _, link := range []string{"logs", "auth_debug.log", "shadow.log", "rootfs"} {
			if !strings.Contains(stdout, link+": symbolic link to ") || !strings.Contains(stdout, "outside the folders given; not followed") {
				t.Errorf("--follow-symlinks: no message that %s leads outside:\n%s", link, stdout)
			}
		}
	}

	// analyze walks the same way.
	for _, follow := range []string{"--follow-symlinks=false", "--follow-symlinks"} {
		stdout, _, _ := runCLI("analyze", "--format", "json", follow, "--fail-on", "none", "--min-parsed", "0", inside)
		if strings.Contains(stdout, "/outside/") || strings.Contains(stdout, "django_errors.log") || strings.Contains(stdout, "plantedshadowhash") {
			t.Errorf("analyze %s read through a link leading outside", follow)
		}
	}
}

// readPath reports whether the audit JSON lists a source whose path ends
// in name.
func readPath(auditJSON, name string) bool {
	return regexp.MustCompile(`"path": "[^"]*` + regexp.QuoteMeta(name) + `"`).MatchString(auditJSON)
}

// --out and --junit never name one of the inputs: the run stops before
// anything is read and the input is left as it was.
func TestOutRefusesAnInput(t *testing.T) {
	dir := secretArtifacts(t)
	input := filepath.Join(dir, "logs", "auth_debug.log")
	before, _ := os.ReadFile(input)
	cases := [][]string{
		{"analyze", "--out", input, dir},
		{"analyze", "--slo", "p95<2s", "--junit", input, dir},
		{"compare", "--out", input, dir},
		{"timeline", "--out", input, dir},
		{"report", "weekly", "--out", input, dir},
		{"analyze", "--out", input, input},
		// parse --out writes <base>.<table>.jsonl: here base.events.jsonl.
		{"parse", "--out", filepath.Join(dir, "tables.jsonl"), filepath.Join(dir, "tables.events.jsonl"), dir},
	}
	os.WriteFile(filepath.Join(dir, "tables.events.jsonl"), []byte("an input that looks like a table file\n"), 0o644)
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, stderr, code := runCLI(args...)
			if code != exitUsage || !strings.Contains(stderr, "is one of the inputs") {
				t.Errorf("exit %d, stderr %q; want %d and a refusal", code, stderr, exitUsage)
			}
		})
	}
	if after, _ := os.ReadFile(input); string(after) != string(before) {
		t.Errorf("the input was overwritten")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "tables.events.jsonl")); string(b) != "an input that looks like a table file\n" {
		t.Errorf("parse --out overwrote an input table file: %q", b)
	}
}

// TestHelperFileSizeLimit is not a test: TestOutFullDisk runs it in a child
// process whose files may not grow past 4 KiB (RLIMIT_FSIZE, as a full
// disk would stop them), to run one command line.
func TestHelperFileSizeLimit(t *testing.T) {
	args := os.Getenv("LOGCORR_FSIZE_ARGS")
	if args == "" {
		t.Skip("helper process for TestOutFullDisk")
	}
	if err := setFileSizeLimit(4096); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(99)
	}
	var o, e bytes.Buffer
	code := run(append([]string{"logcorr"}, strings.Split(args, "\x1f")...), &o, &e)
	os.Stderr.WriteString(e.String())
	os.Exit(code)
}

// A disk that fills up part-way through --out or --junit (a real write
// error, from a file size limit) exits 2 and leaves the previous file
// whole under its name, with no temporary file beside it.
func TestOutFullDisk(t *testing.T) {
	dir := secretArtifacts(t)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"--out markdown", []string{"analyze", "--format", "markdown", "--fail-on", "none", "--min-parsed", "0", "--out"}},
		{"--out json", []string{"analyze", "--format", "json", "--fail-on", "none", "--min-parsed", "0", "--out"}},
		{"--out timeline", []string{"timeline", "--format", "json", "--out"}},
		{"--junit", append([]string{"analyze", "--fail-on", "none", "--min-parsed", "0"}, append(strings.Split(strings.Repeat("--slo\x00p95<2s\x00", 40), "\x00")[:80], "--junit")...)},
		{"parse --out", []string{"parse", "--out"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			outDir := t.TempDir()
			out := filepath.Join(outDir, "report.out")
			previous := []byte("previous report\n")
			if c.args[0] == "parse" {
				out = filepath.Join(outDir, "tables.jsonl")
			}
			keep := filepath.Join(outDir, "report.out")
			if c.args[0] == "parse" {
				keep = filepath.Join(outDir, "tables.events.jsonl")
			}
			os.WriteFile(keep, previous, 0o644)
			args := append(append([]string(nil), c.args...), out, dir)
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFileSizeLimit$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LOGCORR_FSIZE_ARGS="+strings.Join(args, "\x1f"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), "file too large") {
				t.Errorf("the write error is not reported:\n%s", stderr.String())
			}
			if b, _ := os.ReadFile(keep); string(b) != string(previous) {
				t.Errorf("%s holds %d bytes of a half-written report", keep, len(b))
			}
			ents, _ := os.ReadDir(outDir)
			for _, e := range ents {
				if e.Name() != filepath.Base(keep) {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}
