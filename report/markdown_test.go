package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./report -update and read the diff.\n--- got:\n%s", path, got)
	}
}

func TestMarkdownGolden(t *testing.T) {
	cases := []struct {
		name  string
		build func() (*correlate.Analysis, map[string][]rules.Finding)
		rules []RuleInfo
	}{
		{"v18.md", v18Analysis, []RuleInfo{{"auth-only-run", "Only auth endpoints ran"}, {"locust-tags-comma-separated", "Locust --tags given comma-separated"},
			{"login-server-errors", "Login POST fails with HTTP 500"}, {"slo-breach", "Latency above target"}}},
		{"pool_exhaustion.md", poolAnalysis, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, fs := c.build()
			var b bytes.Buffer
			if err := WriteMarkdown(&b, a, fs, MarkdownOptions{Rules: c.rules}); err != nil {
				t.Fatal(err)
			}
			// Determinism: a second rendering is byte-identical.
			var b2 bytes.Buffer
			if err := WriteMarkdown(&b2, a, fs, MarkdownOptions{Rules: c.rules}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), b2.Bytes()) {
				t.Fatal("two renderings of the same analysis differ")
			}
			golden(t, c.name, b.Bytes())
		})
	}
}
