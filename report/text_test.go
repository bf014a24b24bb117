package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	a, fs := poolAnalysis()
	// A log line that tries to retitle the terminal and clear the screen.
	fs["hasil_test_pool_exhaustion"][0].Evidence[0].Text = "\x1b]0;pwned\x07\x1b[2Jpooler error: query_wait_timeout"
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteText(&b, a, fs, TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		plain := strings.ReplaceAll(SanitizeTerminal(out), " ⏎ ", "\n") // colours removed
		for _, want := range []string{"Run hasil_test_pool_exhaustion", "565", "93 (16.46 %)", "14 s (14000 ms)", "81.65 % (89/109 ok)",
			"pool-exhaustion", "pgbouncer.log:301: pooler error: query_wait_timeout", "… 3 more cited line(s)"} {
			if !strings.Contains(plain, want) {
				t.Errorf("color=%v: output lacks %q:\n%s", color, want, out)
			}
		}
		if strings.Contains(out, "pwned") || strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x1b]") {
			t.Errorf("color=%v: a control sequence from the log reached the terminal: %q", color, out)
		}
		if !color && strings.Contains(out, "\x1b") {
			t.Errorf("escape sequence written without Color: %q", out)
		}
		if color && !strings.Contains(out, ansiRed) {
			t.Errorf("Color set but no colour written")
		}
	}
}
