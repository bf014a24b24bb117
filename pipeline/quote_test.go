package pipeline

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/redact"
)

// Every quote a finding makes of a log or CSV line is that line as the
// file holds it (redacted, clipped to the first 400 bytes), read back by
// position, not a rendering of the parsed fields.
func TestEvidenceIsTheFilesLine(t *testing.T) {
	for _, s := range []string{"pool-exhaustion", "rate-limited", "many-runs", "healthy"} {
		t.Run(s, func(t *testing.T) {
			dir := filepath.Join(samplesDir, s)
			res, err := Diagnose(dir)
			if err != nil {
				t.Fatal(err)
			}
			res.Quote()
			lines := map[string][]string{}
			checked := 0
			for _, fs := range res.Findings {
				for _, f := range fs {
					for _, ev := range f.Evidence {
						if ev.At == nil || strings.HasSuffix(ev.File, ".html") {
							continue
						}
						if lines[ev.File] == nil {
							lines[ev.File] = readLines(t, filepath.Join(dir, ev.File))
						}
						want := strings.TrimSpace(redact.String(lines[ev.File][ev.Line-1]))
						if got := strings.TrimSuffix(ev.Text, "…"); !strings.HasPrefix(want, got) || len(got) < min(len(want), 300) {
							t.Errorf("%s %s:%d quotes %q, the file holds %q", f.ID, ev.File, ev.Line, ev.Text, want)
						}
						checked++
					}
				}
			}
			if checked == 0 {
				t.Error("no quote checked")
			}
		})
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		out = append(out, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return out
}
