package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

// hostileCase pins what logcorr says about one hostile input: the message
// (naming the file, and the line where there is one) and the exit code of
// `logcorr parse` on that file alone.
type hostileCase struct {
	file    string
	message string // substring of a message about the file
	format  string // format detected ("" = do not check)
	code    int    // exit code of `logcorr parse FILE`
}

var hostileCases = []hostileCase{
	{"binary_garbage.log", "binary_garbage.log:1: binary content, not a text log", "unknown", exitUsage},
	{"nul_bytes.log", "nul_bytes.log:2: NUL bytes in 2 line(s)", "django", exitOK},
	{"empty.log", "empty.log: empty file", "empty", exitUsage},
	{"zero_bytes.log.gz", "zero_bytes.log.gz: empty file", "empty", exitUsage},
	{"not_gzip.log.gz", "not_gzip.log.gz: named .gz but not gzip-compressed", "runserver", exitOK},
	{"runserver_utf16_nobom.err.log", "", "runserver", exitOK},
	{"mixed_crlf_auth_debug.log", "", "auth_debug", exitOK},
	{"truncated_traceback_django_errors.log", "truncated_traceback_django_errors.log:7: traceback of the record at line 1 ends without its exception line", "django", exitOK},
	{"years_1970_2100_django_errors.log", "years_1970_2100_django_errors.log:1: timestamp 1970-01-01T00:00:00Z is implausible", "django", exitOK},
	{"dst_jump_auth_debug.log", "dst_jump_auth_debug.log:3: time steps back 59m59s", "auth_debug", exitOK},
	{"out_of_order_runserver.err.log", "out_of_order_runserver.err.log:2: time steps back", "runserver", exitOK},
	{"bad_columns_stats.csv", "bad_columns_stats.csv:3: 5 fields where the header (line 1) has 22", "locust_csv", exitOK},
	{"cut_json_report.html", "cut_json_report.html:5: window.templateArgs JSON is cut", "locust_html", exitOK},
	{"year10000_stats_history.csv", "year10000_stats_history.csv:3: history timestamp is implausible (year 10000); the row is left out of the run", "locust_csv", exitOK},
	{"year10000_stats.csv", "", "locust_csv", exitOK},
	{"backtracking_failures.csv", "", "locust_csv", exitOK},
	{"planted_secrets_runserver.err.log", "planted_secrets_runserver.err.log: 9 secret value(s) masked (authorization ×1, aws-access-key ×1, key ×1, password ×2, secret ×2, token ×1, url-userinfo ×1)", "runserver", exitOK},
	{"cr_only_stats_history.csv", "cr_only_stats_history.csv:1: 3 line(s) end with a CR alone", "locust_csv", exitOK},
	{"truncated_django_errors.log.gz", "truncated_django_errors.log.gz:197: the gzip stream ends early (a truncated or half-copied file); lines from 197 on were not read", "django", exitOK},
	{"nonfinite_stats.csv", "nonfinite_stats.csv:2: median_ms = +Inf is not a finite number, an impossible figure; read as null", "locust_csv", exitOK},
	{"negative_p95_stats.csv", "negative_p95_stats.csv:2: median_ms = -9000 is negative, an impossible figure; read as null", "locust_csv", exitOK},
	// generated below: too large, or not storable in git
	{"bomb.log.gz", "bomb.log.gz: decompressed size reached the cap", "", exitOK},
	{"ten_mib_line.log", "ten_mib_line.log: 1 line(s) longer than", "", exitOK},
	{"pipe.log", "pipe.log: not a regular file (a named pipe); skipped", "", exitUsage},
	{"big_field_failures.csv", "big_field_failures.csv:11: a field is longer than 1048576 bytes and was cut; the row is counted as unparsed", "locust_csv", exitOK},
	// Links leading out of the folder, walked with --follow-symlinks:
	// reported, never followed (named alone, a link is followed: the user
	// asked for that file).
	{"etc_shadow.log", "etc_shadow.log: symbolic link to ", "", noSingleRun},
	{"rootfs", "rootfs: symbolic link to /, outside the folders given; not followed", "", noSingleRun},
}

// noSingleRun marks a case checked only in the folder walk.
const noSingleRun = -1

// hostileDir copies testdata/hostile into a temporary folder and adds the
// inputs that are generated: a gzip bomb (with the cap lowered so the test
// stays fast), a 10 MiB single line between two good lines, and a symbolic
// link loop.
func hostileDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "hostile")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A gzip bomb: 64 MiB of log lines in a few hundred KB, read under a
	// 4 MiB cap.
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	line := []byte("[11/Jan/2026 12:59:17] \"GET /dashboard/ HTTP/1.1\" 200 145\n")
	for n := 0; n < 64<<20; n += len(line) {
		w.Write(line)
	}
	w.Close()
	os.WriteFile(filepath.Join(dir, "bomb.log.gz"), gz.Bytes(), 0o644)
	old := parsers.MaxDecompressedBytes
	parsers.MaxDecompressedBytes = 4 << 20
	t.Cleanup(func() { parsers.MaxDecompressedBytes = old })

	long := append([]byte("2026-01-11 12:59:17,100 ERROR django.request Internal Server Error: /a/\n"), bytes.Repeat([]byte("x"), 10<<20)...)
	long = append(long, "\n2026-01-11 12:59:18,100 ERROR django.request Internal Server Error: /b/\n"...)
	os.WriteFile(filepath.Join(dir, "ten_mib_line.log"), long, 0o644)

	// A failures CSV whose tenth row holds a quoted field over the line
	// limit: the cut must not swallow the 39 rows after it.
	os.WriteFile(filepath.Join(dir, "big_field_failures.csv"), bigFieldFailures(), 0o644)

	// A named pipe: a read would wait for a writer for ever.
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.log"), 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}

	// Links out of the folder: to a file standing in for /etc/shadow, and
	// to the root of the file system.
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "shadow"), []byte("root:$6$plantedshadowhash:19000:0:99999:7:::\n"), 0o600)
	os.Symlink(filepath.Join(outside, "shadow"), filepath.Join(dir, "etc_shadow.log"))
	os.Symlink("/", filepath.Join(dir, "rootfs"))

	os.MkdirAll(filepath.Join(dir, "loop"), 0o755)
	os.Symlink(dir, filepath.Join(dir, "loop", "back"))
	return dir
}

type auditFile struct {
	Path     string   `json:"path"`
	Format   string   `json:"format"`
	Lines    int64    `json:"lines"`
	Records  int64    `json:"records"`
	Folded   int64    `json:"folded"`
	Unparsed int64    `json:"unparsed"`
	Messages []string `json:"messages"`
}

func TestHostileInputs(t *testing.T) {
	dir := hostileDir(t)

	// The whole folder in one run: every file reported, the run completes.
	var out, errb bytes.Buffer
	code := run([]string{"logcorr", "parse", "--json", "--follow-symlinks", dir}, &out, &errb)
	if code != exitOK {
		t.Fatalf("parse of the hostile folder exited %d; stderr:\n%s", code, errb.String())
	}
	var doc struct {
		Files    []auditFile `json:"files"`
		Messages []string    `json:"messages"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("audit JSON: %v\n%s", err, out.String())
	}
	byPath := map[string]auditFile{}
	for _, f := range doc.Files {
		byPath[f.Path] = f
		if f.Lines != f.Records+f.Folded+f.Unparsed {
			t.Errorf("%s: accounting %d != %d+%d+%d", f.Path, f.Lines, f.Records, f.Folded, f.Unparsed)
		}
	}
	if !strings.Contains(strings.Join(doc.Messages, "\n"), "already visited") {
		t.Errorf("symbolic link loop not reported; messages: %q", doc.Messages)
	}
	if strings.Contains(out.String(), "plantedshadowhash") {
		t.Errorf("a link led the walk out of the folder: the planted shadow line is in the output")
	}

	for _, c := range hostileCases {
		t.Run(c.file, func(t *testing.T) {
			f, ok := byPath[c.file]
			if !ok {
				// Files a walk does not read are named in its messages.
				f.Messages = doc.Messages
				if c.format != "" {
					t.Fatalf("%s missing from the folder audit", c.file)
				}
			}
			if c.format != "" && f.Format != c.format {
				t.Errorf("format %q, want %q", f.Format, c.format)
			}
			if c.message != "" && !strings.Contains(strings.Join(f.Messages, "\n"), c.message) {
				t.Errorf("messages %q lack %q", f.Messages, c.message)
			}
			if c.code == noSingleRun {
				return
			}
			var o, e bytes.Buffer
			got := run([]string{"logcorr", "parse", filepath.Join(dir, c.file)}, &o, &e)
			if got != c.code {
				t.Errorf("parse %s alone exited %d, want %d; stderr: %s", c.file, got, c.code, e.String())
			}
			t.Logf("| %s | %s | %d |", c.file, firstOr(f.Messages, "(parsed; no message)"), got)
		})
	}
}

func firstOr(ss []string, def string) string {
	if len(ss) == 0 {
		return def
	}
	return ss[0]
}

func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not stop root from reading; the dangling-link case below covers open errors")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.log")
	os.WriteFile(p, []byte("x\n"), 0o000)
	var o, e bytes.Buffer
	if code := run([]string{"logcorr", "parse", "--json", dir}, &o, &e); code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(o.String(), "permission denied") {
		t.Errorf("no permission message: %s", o.String())
	}
}

func TestDanglingLinkNamedExplicitly(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "gone.log")
	os.Symlink(filepath.Join(dir, "nowhere.log"), link)
	good := filepath.Join(dir, "auth_debug.log")
	os.WriteFile(good, []byte("2026-01-11 12:59:17,306 ERROR auth_debug auth_failure status=500 path=/accounts/login/\n"), 0o644)
	var o, e bytes.Buffer
	code := run([]string{"logcorr", "parse", link, good}, &o, &e)
	if code != exitUsage {
		t.Errorf("exit %d, want %d: a named input could not be read; stderr %s", code, exitUsage, e.String())
	}
	if !strings.Contains(o.String(), "auth_debug.log") {
		t.Errorf("the good file was not parsed:\n%s", o.String())
	}
	if !strings.Contains(o.String()+e.String(), "gone.log") {
		t.Errorf("the unreadable file is not named:\n%s\n%s", o.String(), e.String())
	}
}
