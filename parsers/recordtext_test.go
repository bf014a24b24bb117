package parsers

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// feed adds lines to a recordText as pyPending does (a break before every
// line but the first) and returns its text.
func feed(t *recordText, lines []string) []byte {
	t.reset()
	for i, l := range lines {
		var n int64
		if i > 0 {
			n = 1
		}
		t.add(n, []byte(l))
	}
	return t.text()
}

var notKeptRE = regexp.MustCompile(`(?m)^  \[logcorr: (\d+) lines not kept\]$`)

// checkKept checks what a bounded text must be, against the lines that
// went in: under the bound, those lines; over it, a prefix of them, the
// marker, a suffix, whole lines each, the three adding up to every line,
// and the whole within the bound.
func checkKept(t *testing.T, lines []string, got []byte) {
	t.Helper()
	all := strings.Join(lines, "\n")
	if len(all) <= keptHead+2*keptTail {
		if string(got) != all {
			t.Fatalf("a text under the bound changed: %d bytes in, %d out", len(all), len(got))
		}
		return
	}
	m := notKeptRE.FindSubmatchIndex(got)
	if m == nil {
		t.Fatalf("%d bytes in, %d out, no marker line", len(all), len(got))
	}
	dropped, _ := strconv.Atoi(string(got[m[2]:m[3]]))
	head, tail := string(got[:m[0]]), string(got[m[1]:])
	if !strings.HasSuffix(head, "\n") || !strings.HasPrefix(tail, "\n") {
		t.Fatalf("the marker is not a line of its own")
	}
	head, tail = strings.TrimSuffix(head, "\n"), strings.TrimPrefix(tail, "\n")
	nh, nt := len(strings.Split(head, "\n")), len(strings.Split(tail, "\n"))
	if nh+dropped+nt != len(lines) {
		t.Errorf("head %d + not kept %d + tail %d lines = %d, want %d", nh, dropped, nt, nh+dropped+nt, len(lines))
	}
	if want := strings.Join(lines[:nh], "\n"); head != want {
		t.Errorf("the head is not the first %d lines", nh)
	}
	if want := strings.Join(lines[len(lines)-nt:], "\n"); tail != want {
		t.Errorf("the tail is not the last %d lines", nt)
	}
	if len(head) < keptHead {
		t.Errorf("head %d bytes, want at least %d", len(head), keptHead)
	}
	// The tail starts at the first line that starts in the last keptTail
	// bytes: the line before it did not.
	if prev := lines[len(lines)-nt-1]; dropped > 0 && len(tail)+1+len(prev) <= keptTail {
		t.Errorf("tail %d bytes: the %d-byte line before it fits the last %d", len(tail), len(prev), keptTail)
	}
	longest := 0
	for _, l := range lines {
		longest = max(longest, len(l))
	}
	if limit := keptHead + 2*keptTail + 2*longest + 64; len(got) > limit {
		t.Errorf("%d bytes kept, bound %d", len(got), limit)
	}
}

func TestRecordTextKeepsBothEnds(t *testing.T) {
	frame := `  File "/usr/lib/python3/dist-packages/django/db/backends/utils.py", line 84, in _execute`
	rep := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	cases := []struct {
		name  string
		lines []string
	}{
		{"a real traceback, kept as it is", []string{"Traceback (most recent call last):", frame, "    return self.cursor.execute(sql, params)", "psycopg2.OperationalError: FATAL:  query_wait_timeout"}},
		{"blank lines inside", []string{"Traceback (most recent call last):", "", "", frame, "x"}},
		{"just over the bound", rep((keptHead+2*keptTail)/len(frame)+2, func(int) string { return frame })},
		{"100k numbered frames, ending in the exception", append(rep(100000, func(i int) string { return fmt.Sprintf("%s %d", frame, i) }), "django.db.utils.OperationalError: query_wait_timeout")},
		{"lines of a MiB", rep(40, func(i int) string { return strings.Repeat(strconv.Itoa(i%10), MaxLineBytes) })},
		{"a last line longer than the tail", append(rep(20000, func(int) string { return frame }), strings.Repeat("z", keptTail+100))},
		{"blank runs between", rep(30000, func(i int) string {
			if i%3 == 0 {
				return ""
			}
			return frame
		})},
	}
	var rt recordText
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkKept(t, c.lines, feed(&rt, c.lines))
		})
	}
	// Reset starts over: a small record after a large one is whole.
	small := []string{"Traceback (most recent call last):", frame}
	if got := feed(&rt, small); string(got) != strings.Join(small, "\n") {
		t.Errorf("after reset: %q", got)
	}
}

func FuzzRecordText(f *testing.F) {
	f.Add("  File \"x.py\", line 1, in f", "", uint16(20000), uint8(3))
	f.Add("a", "bb\n", uint16(60000), uint8(1))
	f.Add("", "", uint16(1), uint8(0))
	f.Fuzz(func(t *testing.T, a, b string, n uint16, every uint8) {
		// Lines have no line break of their own (Input splits on them).
		a, b = strings.ReplaceAll(a, "\n", " "), strings.ReplaceAll(b, "\n", " ")
		if len(a)+len(b) > 4096 {
			return
		}
		lines := make([]string, int(n)+1)
		for i := range lines {
			if every > 0 && i%int(every) == 0 {
				lines[i] = b
			} else {
				lines[i] = fmt.Sprintf("%s%d", a, i)
			}
		}
		var rt recordText
		got := feed(&rt, lines)
		if bytes.Count(got, []byte("lines not kept]")) > 1 {
			return // a line of the input itself reads as a marker
		}
		checkKept(t, lines, got)
	})
}

// Every format whose records hold a traceback bounds it the same way: an
// endless traceback (2.4 MB here) keeps its header, its deepest frame and
// its exception line, says how many lines it did not keep, names the
// record in the audit, and the record after it is read as usual.
func TestEndlessTracebackKeepsItsEnds(t *testing.T) {
	frames := strings.Repeat("  File \"/usr/lib/python3/dist-packages/django/db/backends/utils.py\", line 84, in _execute\n    return self.cursor.execute(sql, params)\n", 20000)
	tb := "Traceback (most recent call last):\n" + frames +
		"  File \"/srv/app/views.py\", line 12, in pricing\n    return compute()\n" +
		"psycopg2.OperationalError: FATAL:  query_wait_timeout\n"
	cases := []struct {
		format, name, first, next string
		records                   int
	}{
		{"django", "django_errors.log", "2026-11-29 20:46:14,432 ERROR django.request Internal Server Error: /api/project/45/pricing/\n",
			"2026-11-29 20:46:15,001 ERROR django.request Internal Server Error: /api/project/46/pricing/\n", 2},
		{"locust_console", "locust.log", "[2026-01-11 11:42:25,101] vm/ERROR/locust.user.users: request failed\n",
			"[2026-01-11 11:42:26,001] vm/INFO/locust.main: Shutting down (exit code 1)\n", 2},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			res := parseText(t, c.name, c.first+tb+c.next, Options{Format: c.format})
			if len(res.Events) != c.records {
				t.Fatalf("%d events, want %d", len(res.Events), c.records)
			}
			e := res.Events[0]
			if e.ExcType != "psycopg2.OperationalError" || e.ExcFrame != "/srv/app/views.py:12 in pricing" {
				t.Errorf("exception %q at %q", e.ExcType, e.ExcFrame)
			}
			if !strings.HasPrefix(e.Traceback, "Traceback (most recent call last):\n") || !strings.HasSuffix(e.Traceback, "query_wait_timeout") {
				t.Errorf("traceback ends lost: %.80q ... %.80q", e.Traceback, e.Traceback[max(0, len(e.Traceback)-80):])
			}
			if len(e.Traceback) > keptHead+2*keptTail+4096 || !notKeptRE.MatchString(e.Traceback) {
				t.Errorf("traceback %d bytes, marker %v", len(e.Traceback), notKeptRE.MatchString(e.Traceback))
			}
			if e.EndLine != int64(strings.Count(c.first+tb, "\n")) {
				t.Errorf("record ends at line %d, want %d", e.EndLine, strings.Count(c.first+tb, "\n"))
			}
			if got := strings.Join(res.Audit.Messages, "\n"); !strings.Contains(got, c.name+":1: the record goes on to line") {
				t.Errorf("audit messages %q", got)
			}
		})
	}
}
