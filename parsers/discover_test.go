package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "logs", "deep"), 0o755))
	for _, f := range []string{"run_stats.csv", "run.html", "logs/django_errors.log", "logs/deep/pgbouncer.log.gz", "truth.json", "notes.md", "logs/.hidden.log"} {
		must(os.WriteFile(filepath.Join(root, f), []byte("x\n"), 0o644))
	}
	must(os.Symlink(root, filepath.Join(root, "logs", "loop")))                         // a loop back to the root
	must(os.Symlink(filepath.Join(root, "run.html"), filepath.Join(root, "link.html"))) // a file link

	t.Run("default: links not followed, non-artifacts skipped", func(t *testing.T) {
		got, msgs := Discover([]string{root}, Options{})
		var names []string
		for _, g := range got {
			names = append(names, g.Name)
		}
		want := "logs/deep/pgbouncer.log.gz logs/django_errors.log run.html run_stats.csv"
		if strings.Join(names, " ") != want {
			t.Errorf("names %q, want %q", strings.Join(names, " "), want)
		}
		joined := strings.Join(msgs, "\n")
		for _, w := range []string{"link.html: symbolic link not followed", "logs/loop: symbolic link not followed", "skipped 2 file(s)", ".json ×1", ".md ×1"} {
			if !strings.Contains(joined, w) {
				t.Errorf("messages lack %q:\n%s", w, joined)
			}
		}
	})
	t.Run("follow: loop cut, walk ends", func(t *testing.T) {
		got, msgs := Discover([]string{root}, Options{FollowSymlinks: true})
		if len(got) != 5 { // the four files plus link.html
			t.Errorf("got %d targets: %+v", len(got), got)
		}
		if !strings.Contains(strings.Join(msgs, "\n"), "already visited") {
			t.Errorf("loop not reported: %q", msgs)
		}
	})
	t.Run("missing path and explicit non-artifact file", func(t *testing.T) {
		got, msgs := Discover([]string{filepath.Join(root, "nope"), filepath.Join(root, "truth.json")}, Options{})
		if len(got) != 1 || !strings.HasSuffix(got[0].Name, "truth.json") {
			t.Errorf("explicit file not taken: %+v", got)
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0], "no such file") {
			t.Errorf("messages %q", msgs)
		}
	})
}

func TestDiscoverRunPrefix(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"hasil_test_v18_stats.csv", "hasil_test_v18_stats_history.csv", "hasil_test_v18.html", "hasil_test_v19_stats.csv"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x\n"), 0o644)
	}
	got, msgs := Discover([]string{filepath.Join(dir, "hasil_test_v18")}, Options{})
	var names []string
	for _, g := range got {
		names = append(names, g.Name)
	}
	if strings.Join(names, " ") != "hasil_test_v18_stats.csv hasil_test_v18_stats_history.csv hasil_test_v18.html" || len(msgs) != 0 {
		t.Errorf("run prefix expanded to %q, messages %q", names, msgs)
	}
}

// Root is the folder as given (cleaned) for what a walk found, the
// prefix's folder for a run named by its prefix, "" for a file named
// itself; Parse carries it into the file table.
func TestDiscoverRoot(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a", "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a/run_stats.csv", "a/logs/pgbouncer.log"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	given := filepath.Join(dir, "a") + "/"
	named := filepath.Join(dir, "a", "logs", "pgbouncer.log")
	targets, _ := Discover([]string{given, named, filepath.Join(dir, "a", "run")}, Options{})
	want := []struct{ name, root string }{
		{"logs/pgbouncer.log", filepath.ToSlash(filepath.Join(dir, "a"))},
		{"run_stats.csv", filepath.ToSlash(filepath.Join(dir, "a"))},
		{filepath.ToSlash(named), ""},
		{"run_stats.csv", filepath.ToSlash(filepath.Join(dir, "a"))},
	}
	if len(targets) != len(want) {
		t.Fatalf("targets %+v", targets)
	}
	for i, w := range want {
		if targets[i].Name != w.name || targets[i].Root != w.root {
			t.Errorf("target %d = %+v, want name %q root %q", i, targets[i], w.name, w.root)
		}
		if w.root != "" && filepath.ToSlash(targets[i].Path) != w.root+"/"+w.name {
			t.Errorf("target %d: Path %q is not Root/Name", i, targets[i].Path)
		}
	}
	ds := Parse(targets, Options{})
	for i, f := range ds.Files {
		if f.Root != targets[i].Root {
			t.Errorf("file %d Root %q, target's %q", i, f.Root, targets[i].Root)
		}
		// A file parsed says how long it took; a duplicate was not parsed.
		if (f.Format == schema.SourceDuplicate) != (f.ParseTime == 0) {
			t.Errorf("file %d (%s): ParseTime %v", i, f.Format, f.ParseTime)
		}
	}
}

func TestParseAllSkipsDuplicateFiles(t *testing.T) {
	dir := t.TempDir()
	line := "2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout\n"
	os.WriteFile(filepath.Join(dir, "pgbouncer.log"), []byte(line), 0o644)
	os.MkdirAll(filepath.Join(dir, "backup"), 0o755)
	os.WriteFile(filepath.Join(dir, "backup", "pgbouncer.log"), []byte(line), 0o644)
	os.WriteFile(filepath.Join(dir, "other.log"), []byte(strings.Replace(line, "44202", "44203", 1)), 0o644)
	targets, _ := Discover([]string{dir}, Options{})
	ds := ParseAll(targets, Options{})
	defer ds.Release()
	if n := ds.Tables[TableEvents].NumRows(); n != 2 {
		t.Errorf("%d events, want 2 (the copy in backup/ skipped)", n)
	}
	var dups []string
	for _, a := range ds.Audits {
		if a.Format == "duplicate" {
			dups = append(dups, a.Path+": "+strings.Join(a.Messages, ""))
		}
	}
	if len(dups) != 1 || !strings.Contains(dups[0], "backup/pgbouncer.log: same content as pgbouncer.log") {
		t.Errorf("duplicates reported: %q", dups)
	}
}

// Two runs' header-only CSVs are identical bytes but different artifacts.
func TestParseAllKeepsIdenticalFilesOfDifferentRuns(t *testing.T) {
	dir := t.TempDir()
	for _, run := range []string{"hasil_test_a", "hasil_test_b"} {
		os.WriteFile(filepath.Join(dir, run+"_failures.csv"), []byte("Method,Name,Error,Occurrences\n"), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "copy"), 0o755)
	os.WriteFile(filepath.Join(dir, "copy", "hasil_test_a_failures.csv"), []byte("Method,Name,Error,Occurrences\n"), 0o644)
	targets, _ := Discover([]string{dir}, Options{})
	ds := ParseAll(targets, Options{})
	defer ds.Release()
	formats := map[string]string{}
	for _, a := range ds.Audits {
		formats[a.Path] = a.Format
	}
	want := map[string]string{"hasil_test_a_failures.csv": "locust_csv", "hasil_test_b_failures.csv": "locust_csv", "copy/hasil_test_a_failures.csv": "duplicate"}
	for p, f := range want {
		if formats[p] != f {
			t.Errorf("%s: format %q, want %q", p, formats[p], f)
		}
	}
}

// With more than one folder, every found file's name carries its folder,
// so the reports never show two files under one name; with one folder
// (given twice, or with files named beside it) names stay relative to it.
func TestDiscoverNamesAcrossFolders(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"n1/locust.log", "n1/logs/pgbouncer.log", "n2/locust.log", "loose.log"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n1, n2, loose := filepath.Join(dir, "n1"), filepath.Join(dir, "n2"), filepath.Join(dir, "loose.log")
	s := filepath.ToSlash
	cases := []struct {
		name  string
		paths []string
		want  []string
	}{
		{"one folder", []string{n1}, []string{"locust.log", "logs/pgbouncer.log"}},
		{"one folder and a file", []string{n1, loose}, []string{"locust.log", "logs/pgbouncer.log", s(loose)}},
		{"two folders", []string{n1, n2}, []string{s(n1) + "/locust.log", s(n1) + "/logs/pgbouncer.log", s(n2) + "/locust.log"}},
		{"two folders and a file", []string{n2, loose, n1}, []string{s(n2) + "/locust.log", s(loose), s(n1) + "/locust.log", s(n1) + "/logs/pgbouncer.log"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			targets, _ := Discover(tc.paths, Options{})
			var got []string
			for _, tg := range targets {
				got = append(got, tg.Name)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("names\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
