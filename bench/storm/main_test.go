package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The same flags write the same bytes; each error is one chain: a Django
// record of six lines (twice: django_errors.log and runserver's stderr,
// which adds the request line), one PgBouncer and one auth_debug line, and
// for a login the locustfile's two copies (one with -one-copy).
func TestStorm(t *testing.T) {
	src := "../../samples/pool-exhaustion"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not available: %v", src, err)
	}
	for _, one := range []bool{false, true} {
		a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
		for _, d := range []string{a, b} {
			if err := run(d, src, 30, 2, true, one); err != nil {
				t.Fatal(err)
			}
		}
		copies := 2
		if one {
			copies = 1
		}
		for rel, lines := range map[string]int{"logs/django_errors.log": 30 * 6, "logs/runserver_8000.err.log": 30 * 7, "pgbouncer.log": 30,
			"logs/auth_debug.log": 30, "logs/locust_login_failures.log": 10 * copies} {
			x, err1 := os.ReadFile(filepath.Join(a, rel))
			y, err2 := os.ReadFile(filepath.Join(b, rel))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs between two runs", rel)
			}
			if n := bytes.Count(x, []byte("\n")); n != lines {
				t.Errorf("one-copy %v: %s has %d lines, want %d", one, rel, n, lines)
			}
		}
		if _, err := os.Stat(filepath.Join(a, "hasil_test_pool_exhaustion_stats_history.csv")); err != nil {
			t.Errorf("the run's Locust files were not copied: %v", err)
		}
		if err := run(a, src, 30, 2, true, one); err == nil {
			t.Error("wrote into a folder that exists")
		}
	}
}
