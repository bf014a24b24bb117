package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
// file outside it is not followed unless --follow-symlinks.
func TestWalkStaysInsideFolder(t *testing.T) {
	root := t.TempDir()
	inside := filepath.Join(root, "run")
	outside := filepath.Join(root, "elsewhere")
	for _, d := range []string{inside, outside} {
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
	os.WriteFile(filepath.Join(outside, "auth_debug.log"), []byte("2026-11-29 20:06:50,723 ERROR auth_debug auth_failure status=500 path=/accounts/login/\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(inside, "logs")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	os.Symlink(filepath.Join(outside, "auth_debug.log"), filepath.Join(inside, "auth_debug.log"))

	stdout, stderr, code := runCLI("parse", "--json", inside)
	if code != exitOK {
		t.Fatalf("parse: exit %d\n%s", code, stderr)
	}
	for _, name := range []string{"django_errors.log", "auth_debug.log"} {
		if readPath(stdout, name) {
			t.Errorf("the walk left the folder through a link: %s was read\n%s", name, stdout)
		}
	}
	if !strings.Contains(stdout+stderr, "symbolic link") {
		t.Errorf("skipped links are not mentioned:\nstdout: %s\nstderr: %s", stdout, stderr)
	}

	stdout, stderr, code = runCLI("parse", "--json", "--follow-symlinks", inside)
	if code != exitOK {
		t.Fatalf("parse --follow-symlinks: exit %d\n%s", code, stderr)
	}
	for _, name := range []string{"django_errors.log", "auth_debug.log"} {
		if !readPath(stdout, name) {
			t.Errorf("--follow-symlinks did not read %s through the link:\n%s", name, stdout)
		}
	}

	// analyze walks the same way.
	stdout, _, _ = runCLI("analyze", "--format", "json", "--fail-on", "none", "--min-parsed", "0", inside)
	if strings.Contains(stdout, "/outside/") || strings.Contains(stdout, "django_errors.log") {
		t.Errorf("analyze read through a link without --follow-symlinks")
	}
}

// readPath reports whether the audit JSON lists a source whose path ends
// in name.
func readPath(auditJSON, name string) bool {
	return regexp.MustCompile(`"path": "[^"]*` + regexp.QuoteMeta(name) + `"`).MatchString(auditJSON)
}
