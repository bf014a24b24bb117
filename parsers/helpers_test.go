package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Helpers shared by the format tests.

// parseText writes text to a temporary file named name and parses it,
// failing on an internal error or an unbalanced line accounting.
func parseText(t testing.TB, name, text string, opt Options) *Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	res := ParseFile(path, name, opt)
	if res.Audit.Error != "" {
		t.Fatal(res.Audit.Error)
	}
	if !res.Audit.Balanced() {
		t.Fatalf("%s: accounting unbalanced: %+v", name, res.Audit)
	}
	return res
}

// checkDetectedByContent copies a corpus file under a neutral name, so its
// content alone decides, and checks that detection picks format with
// confidence.
func checkDetectedByContent(t *testing.T, path, neutral, format string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(t.TempDir(), neutral)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	a := ParseFile(tmp, path, Options{Format: "auto"}).Audit
	if a.Format != format || a.Chosen != "content" || a.Confidence < 0.9 {
		t.Errorf("%s: detected %s (%.3f, %s), runner-up %s %.3f", path, a.Format, a.Confidence, a.Chosen, a.RunnerUp, a.RunnerUpConfidence)
	}
	t.Logf("%s: %s %.3f, runner-up %s %.3f", path, a.Format, a.Confidence, a.RunnerUp, a.RunnerUpConfidence)
}

// sampleFile reads the detection sample of a file.
func sampleFile(t testing.TB, path string) []Line {
	t.Helper()
	in, err := Open(path, path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sample, err := in.Sample(SampleLines)
	if err != nil {
		t.Fatal(err)
	}
	return sample
}

// lineStart is the byte offset of line n (1-based) of a plain file.
func lineStart(t testing.TB, path string, n int64) int64 {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var off int64
	for k := int64(1); k < n; k++ {
		i := bytes.IndexByte(raw[off:], '\n')
		if i < 0 {
			t.Fatalf("%s has no line %d", path, n)
		}
		off += int64(i) + 1
	}
	return off
}
