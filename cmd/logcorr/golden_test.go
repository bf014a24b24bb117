package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCLIMatchesPipelineGoldens: the CLI's flags reach the pipeline as
// its golden cases assume (pipeline/testdata/golden/, compared there byte
// for byte), one case per document and format, so a flag that stops
// reaching the pipeline shows here.
func TestCLIMatchesPipelineGoldens(t *testing.T) {
	const golden = "../../pipeline/testdata/golden"
	pe, many := "../../samples/pool-exhaustion", "../../samples/many-runs"
	cases := []struct {
		file string
		args []string
	}{
		{"pool-exhaustion.text", []string{"analyze", pe}},
		{"pool-exhaustion.markdown", []string{"analyze", "--format", "markdown", pe}},
		{"pool-exhaustion.json", []string{"analyze", "--format", "json", pe}},
		{"pool-exhaustion.html", []string{"analyze", "--format", "html", pe}},
		{"pool-exhaustion.timeline.json", []string{"timeline", "--format", "json", pe}},
		{"pool-exhaustion.timeline.text", []string{"timeline", pe}},
		{"pool-exhaustion.parse.json", []string{"parse", "--json", pe}},
		{"pool-exhaustion.parse.text", []string{"parse", pe}},
		{"many-runs.compare.text", []string{"compare", many}},
		{"many-runs.compare.html", []string{"compare", "--format", "html", many}},
		{"many-runs.weekly.md", []string{"report", "weekly", many}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(golden, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"logcorr"}, tc.args...), &stdout, &stderr)
			if code > exitGate {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("logcorr %v differs from pipeline/testdata/golden/%s (%d vs %d bytes)", tc.args, tc.file, stdout.Len(), len(want))
			}
		})
	}
}
