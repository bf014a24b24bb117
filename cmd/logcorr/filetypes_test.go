package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runWithin runs a command line in-process and fails the test if it has
// not returned within d (a read that blocks on a pipe, or reads a device
// for ever, never returns).
func runWithin(t *testing.T, d time.Duration, args ...string) (string, string, int) {
	t.Helper()
	type result struct {
		out, err string
		code     int
	}
	done := make(chan result, 1)
	go func() {
		o, e, c := runCLI(args...)
		done <- result{o, e, c}
	}()
	select {
	case r := <-done:
		return r.out, r.err, r.code
	case <-time.After(d):
		t.Fatalf("%v still running after %v: it hangs", args, d)
		return "", "", -1
	}
}

// Only regular files and folders are read. A named pipe, /dev/zero or
// /dev/urandom named on the command line or as --rules gets a clear
// message and exit 2 at once: no hang on the pipe, no endless read of the
// device.
func TestNamedNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.log")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	good := secretArtifacts(t)
	rule := filepath.Join(t.TempDir(), "rule.yaml")
	os.WriteFile(rule, []byte("id: my-rule\ntitle: t\nseverity: low\ncategory: server\ndoc: a rule that fires on any server error line at all\nmatch:\n  status: 500-599\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"fifo to parse", []string{"parse", fifo, good}, "pipe.log: not a regular file (a named pipe)"},
		{"fifo to analyze", []string{"analyze", "--fail-on", "none", "--min-parsed", "0", good, fifo}, "pipe.log: not a regular file (a named pipe)"},
		{"/dev/zero", []string{"analyze", "--fail-on", "none", "--min-parsed", "0", "/dev/zero", good}, "/dev/zero: not a regular file (a device)"},
		{"/dev/urandom", []string{"parse", "/dev/urandom", good}, "/dev/urandom: not a regular file (a device)"},
		{"only a fifo", []string{"parse", fifo}, "pipe.log: not a regular file (a named pipe)"},
		{"--rules fifo", []string{"analyze", "--rules", fifo, good}, "pipe.log: not a regular file (a named pipe)"},
		{"--rules /dev/zero", []string{"analyze", "--rules", "/dev/zero", good}, "/dev/zero: not a regular file (a device)"},
		{"--rules /dev/urandom", []string{"rules", "lint", "--rules", "/dev/urandom"}, "/dev/urandom: not a regular file (a device)"},
		{"rules test on a fifo", []string{"rules", "test", "--rules", rule, "my-rule", fifo}, "pipe.log: not a regular file (a named pipe)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := runWithin(t, 20*time.Second, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\nstderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, stderr)
			}
		})
	}
}
