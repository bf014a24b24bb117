package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeValue(t *testing.T) {
	cases := []struct{ name, want string }{
		{"hasil_test_v19_100u", "hasil_test_v19_100u"},
		{"run.2026-01-11", "run.2026-01-11"},
		{"a/b", "a%2Fb"},
		{`a\b`, "a%5Cb"},
		{"..", "%2E%2E"},
		{".", "%2E"},
		{"../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"},
		{"k=v", "k%3Dv"},
		{"100%", "100%25"},
		{"with space", "with%20space"},
		{"tab\there", "tab%09here"},
		{"nl\nx", "nl%0Ax"},
		{"nul\x00x", "nul%00x"},
		{"del\x7fx", "del%7Fx"},
		{"esc\x1b[31m", "esc%1B%5B31m"},
		{"a:b*c?d\"e<f>g|h", "a%3Ab%2Ac%3Fd%22e%3Cf%3Eg%7Ch"},
		{"hasil_uji_ü", "hasil_uji_ü"},        // letters stay, as Hive and Spark leave them
		{"日本語ラン", "日本語ラン"},                    // so do other scripts
		{"rtl\u202eevil", "rtl%E2%80%AEevil"}, // a bidi override is a format character
		{"zw\u200bj", "zw%E2%80%8Bj"},         // so is a zero-width space
		{"nbsp\u00a0x", "nbsp%C2%A0x"},        // a non-ASCII space
		{"c1\u0085x", "c1%C2%85x"},            // a C1 control
	}
	for _, tc := range cases {
		if got := escapeValue(tc.name); got != tc.want {
			t.Errorf("escapeValue(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if back := unescapeValue(escapeValue(tc.name)); back != tc.name {
			t.Errorf("unescape(escape(%q)) = %q", tc.name, back)
		}
	}
}

// safeValue says whether v is safe as the value of a run= folder.
func safeValue(v string) string {
	if v == "." || v == ".." {
		return "is a dot folder"
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '/' || c == '\\':
			return "has a path separator"
		case c == '=':
			return "has '='"
		case c < 0x20 || c == 0x7f:
			return "has a control byte"
		}
	}
	if !utf8.ValidString(v) {
		return "is not UTF-8"
	}
	for _, r := range v {
		if r >= 0x80 && r <= 0x9f || r == 0x200b || r == 0x202e || r == 0xfeff {
			return "has an invisible character"
		}
	}
	return ""
}

// FuzzEscapeValue: whatever a run name holds (it comes from a file name),
// its folder value is safe, and readers decode it back to the name.
func FuzzEscapeValue(f *testing.F) {
	for _, s := range []string{"hasil_test_v19", "../x", "a/b=c", "\x00\xff", "ü\u202e", "%2F", "..", "__none__"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		name = strings.ToValidUTF8(name, "\uFFFD") // what the sink does first
		v := escapeValue(name)
		if why := safeValue(v); why != "" {
			t.Fatalf("escapeValue(%q) = %q, which %s", name, v, why)
		}
		if back := unescapeValue(v); back != name {
			t.Fatalf("unescape(escape(%q)) = %q", name, back)
		}
		if d := partitionDir(name); name != NoRun && d != "run="+v {
			t.Fatalf("partitionDir(%q) = %q", name, d)
		}
	})
}
