package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Line ends: LF, CRLF and a CR alone each end a line; the offsets are the
// lines' starts; a CR alone is counted for the audit.
func TestInputLineEnds(t *testing.T) {
	long := strings.Repeat("x", 64<<10-1) // the CR of its CRLF is the buffer's last byte
	cases := []struct {
		name, text string
		lines      []string
		offs       []int64
		loneCR     int64
	}{
		{"lf", "a\nbb\n", []string{"a", "bb"}, []int64{0, 2}, 0},
		{"crlf", "a\r\nbb\r\n", []string{"a", "bb"}, []int64{0, 3}, 0},
		{"cr only", "a\rbb\rc", []string{"a", "bb", "c"}, []int64{0, 2, 5}, 2},
		{"cr only, last line ended", "a\rbb\r", []string{"a", "bb"}, []int64{0, 2}, 2},
		{"crlf, last LF lost", "a\r\nbb\r", []string{"a", "bb"}, []int64{0, 3}, 0},
		{"mixed", "a\nb\rc\r\nd", []string{"a", "b", "c", "d"}, []int64{0, 2, 4, 7}, 1},
		{"empty lines", "\r\r\n\n", []string{"", "", ""}, []int64{0, 1, 3}, 1},
		{"crlf across the buffer", long + "\r\nz\n", []string{long, "z"}, []int64{0, int64(len(long)) + 2}, 0},
		{"cr across the buffer", long + "\rz\n", []string{long, "z"}, []int64{0, int64(len(long)) + 1}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.log")
			if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			in, err := Open(path, "x.log")
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var lines []string
			var offs []int64
			for {
				l, ok := in.Next()
				if !ok {
					break
				}
				lines, offs = append(lines, string(l.Text)), append(offs, l.Off)
			}
			if !reflect.DeepEqual(lines, c.lines) || !reflect.DeepEqual(offs, c.offs) || in.LoneCR != c.loneCR {
				t.Errorf("lines %q offsets %v lone CR %d; want %q %v %d", trimmed(lines), offs, in.LoneCR, trimmed(c.lines), c.offs, c.loneCR)
			}
		})
	}
}

func trimmed(ls []string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		if len(l) > 20 {
			l = l[:20] + "…"
		}
		out[i] = l
	}
	return out
}

// A Locust history whose newlines became CRs (tr '\n' '\r') reads as the
// same rows as the original, and the audit says why.
func TestCROnlyHistoryReadsLikeTheOriginal(t *testing.T) {
	src := "../../shared/corpus/ahsp/hasil_test_auth_probe_stats_history.csv"
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("corpus absent (%v)", err)
	}
	// The corpus file is CRLF: its LF form, and that with LF → CR.
	lf := bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	dir := t.TempDir()
	lfPath, path := filepath.Join(dir, "lf_stats_history.csv"), filepath.Join(dir, "cr_stats_history.csv")
	if err := os.WriteFile(lfPath, lf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(lf, []byte("\n"), []byte("\r")), 0o600); err != nil {
		t.Fatal(err)
	}
	want := ParseFile(lfPath, "h.csv", Options{})
	got := ParseFile(path, "h.csv", Options{})
	if got.Audit.Records == 0 || got.Audit.Records != want.Audit.Records || got.Audit.Lines != want.Audit.Lines || len(got.History) != len(want.History) {
		t.Fatalf("CR-only: %d lines %d records %d rows; LF: %d lines %d records %d rows", got.Audit.Lines, got.Audit.Records, len(got.History), want.Audit.Lines, want.Audit.Records, len(want.History))
	}
	for i := range got.History {
		g, w := got.History[i], want.History[i]
		if g.Time != w.Time || g.TotalRequests != w.TotalRequests || g.Line != w.Line || g.Offset != w.Offset {
			t.Fatalf("row %d: %+v\nwant %+v", i, g, w)
		}
	}
	if !strings.Contains(strings.Join(got.Audit.Messages, "\n"), "end with a CR alone") {
		t.Errorf("the audit does not say the line ends were CRs: %q", got.Audit.Messages)
	}
}
