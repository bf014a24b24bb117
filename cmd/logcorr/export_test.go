package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dataset")
	stdout, stderr, code := runCLI("export", "../../samples/pool-exhaustion", "--to", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "exported 1 run(s) to "+out) || !strings.Contains(stderr, "run=__none__") {
		t.Errorf("stderr %q does not say what was written", stderr)
	}
	for _, p := range []string{"runs/run=hasil_test_pool_exhaustion/part-0.parquet", "events/run=hasil_test_pool_exhaustion/part-0.parquet"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	// A finding that fails the run is in the data, not in the exit code.
	if _, stderr, code := runCLI("export", "--quiet", "--to", out, "../../samples/pool-exhaustion"); code != exitOK || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}

	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "../../samples/pool-exhaustion"}, "--to OUT"},
		{[]string{"export", "--to", out}, "give a folder"},
		{[]string{"export", "--to", file, "../../samples/pool-exhaustion"}, "not a folder"},
		{[]string{"export", "--to", out, "--fail-on", "bad", "../../samples/pool-exhaustion"}, "--fail-on"},
		{[]string{"export", "--to", out, "--slo", "p95<", "../../samples/pool-exhaustion"}, "--slo"},
	} {
		_, stderr, code := runCLI(tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 naming %q", tc.args, code, stderr, tc.want)
		}
	}
}

// No planted secret reaches a table of the dataset or a path in it,
// unless --no-redact (which shows that the check can fail).
func TestExportKeepsSecretsOut(t *testing.T) {
	dir := secretArtifacts(t)
	for _, noRedact := range []bool{false, true} {
		out := t.TempDir()
		args := []string{"export", "--to", out, dir}
		if noRedact {
			args = append(args, "--no-redact")
		}
		if _, stderr, code := runCLI(args...); code != exitOK {
			t.Fatalf("%q: exit %d: %s", args, code, stderr)
		}
		var all strings.Builder
		files := 0
		filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			all.WriteString(p + "\n")
			if !d.IsDir() {
				all.WriteString(parquetCells(t, p))
				files++
			}
			return nil
		})
		leaks := leakedSecrets(all.String())
		switch {
		case files < 14:
			t.Fatalf("only %d files written", files)
		case !noRedact && len(leaks) > 0:
			t.Errorf("the dataset leaks %v", leaks)
		case !noRedact && !strings.Contains(all.String(), "[REDACTED]"):
			t.Errorf("no masked value in the dataset: the planted lines were not exported")
		case noRedact && len(leaks) == 0:
			t.Errorf("with --no-redact no planted secret is in the dataset: the check above proves nothing")
		}
	}
}
