package report

import "testing"

func TestSanitizeTerminal(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "GET /api/ 200", "GET /api/ 200"},
		{"csi colour", "\x1b[1;31mERROR\x1b[0m boom", "ERROR boom"},
		{"osc title BEL", "\x1b]0;pwned\x07after", "after"},
		{"osc hyperlink ST", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clear screen", "a\x1b[2Jb\x1bcc", "abc"},
		{"C1 CSI", "x\u009b31my", "xy"},
		{"C0 controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"CR overwrite", "safe\rEVIL", "safeEVIL"},
		{"newline kept visible", "line1\nline2", "line1 ⏎ line2"},
		{"tab", "a\tb", "a b"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"unicode kept", "Pengguna ✓ é", "Pengguna ✓ é"},
		{"truncated escape", "end\x1b", "end"},
		{"unterminated osc", "x\x1b]0;title", "x"},
	}
	for _, c := range cases {
		if got := SanitizeTerminal(c.in); got != c.want {
			t.Errorf("%s: SanitizeTerminal(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}
