package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/report/quote"
)

// A meta fact read from a console log is cited by the line it was read
// from, and the quote is that line as the file holds it, not key=value.
func TestMetaEvidenceQuotesTheConsoleLine(t *testing.T) {
	const log = "[2026-01-11 14:27:09,001] host/INFO/locust.main: Run time limit set to 300 seconds\n" +
		"$ locust -f locustfile.py --headless -u 100 --exclude-tags export admin --csv hasil_test_v21\n" +
		"[2026-01-11 14:27:10,101] host/INFO/locust.main: Starting Locust 2.32.4\n"
	dir := t.TempDir()
	p := filepath.Join(dir, "locust.log")
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	ds := parsers.Parse([]parsers.Target{{Path: p, Name: "locust.log"}}, parsers.Options{})
	defer ds.Release()
	second := strings.Index(log, "\n") + 1
	m := &parsers.MetaRow{File: "locust.log", Line: 2, Offset: int64(second), Key: "exclude_tags", Value: "export admin"}
	ev := MetaEvidence(m)
	if ev.Text != "exclude_tags=export admin" || ev.At == nil || ev.At.Pos.Line != 2 || ev.At.Pos.Offset != int64(second) {
		t.Fatalf("MetaEvidence = %+v (At %+v): want the fact as text and the line's position", ev, ev.At)
	}
	got := ""
	msgs := quote.Resolve(ds.Files, false, []quote.Request{{Pos: ev.At.Pos, ByPath: ev.At.ByPath, Path: ev.File, Set: func(s string) { got = s }}})
	if want := strings.Split(log, "\n")[1]; len(msgs) != 0 || got != want {
		t.Errorf("quote %q (messages %q), want the console line %q", got, msgs, want)
	}
}

// TopEvidence stops at its n-th distinct citation and citeFirst cites
// rows only until then; both keep what taking every distinct citation
// and then the first n keeps. Lists with repeats, near-repeats (same
// file and line, another text; a path holding a colon) and every n.
func TestFirstDistinctCitations(t *testing.T) {
	ev := func(file string, line int64, text string) Evidence {
		return Evidence{File: file, Line: line, Text: text}
	}
	lists := [][]Evidence{
		nil,
		{ev("a", 1, "x")},
		{ev("a", 1, "x"), ev("a", 1, "x"), ev("a", 2, "x"), ev("a", 1, "y"), ev("b", 1, "x"), ev("a", 2, "x"), ev("c", 3, "z")},
		{ev("x:1", 2, "t"), ev("x", 1, "2:t"), ev("x:1", 2, "t")},
	}
	for i := range 40 {
		// longer lists with many repeats
		var l []Evidence
		for j := range 30 {
			l = append(l, ev(string(rune('a'+(i+j)%3)), int64((i*j)%5), string(rune('p'+j%2))))
		}
		lists = append(lists, l)
	}
	// every distinct citation, then the first n: what TopEvidence must keep
	want := func(l []Evidence, n int) []Evidence {
		seen := map[Evidence]bool{}
		var all []Evidence
		for _, e := range l {
			if !seen[e] {
				seen[e] = true
				all = append(all, e)
			}
		}
		if n > 0 && len(all) > n {
			all = all[:n]
		}
		return all
	}
	same := func(a, b []Evidence) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	for li, l := range lists {
		for n := 0; n <= 8; n++ {
			if got, w := TopEvidence(l, n), want(l, n); !same(got, w) {
				t.Errorf("list %d, n %d: TopEvidence %v, want %v", li, n, got, w)
			}
			if n == 0 {
				continue
			}
			calls := 0
			got := citeFirst(l, func(e Evidence) Evidence { calls++; return e }, n)
			if w := want(l, n); !same(got, w) {
				t.Errorf("list %d, n %d: citeFirst %v, want %v", li, n, got, w)
			}
			// It cites nothing past the row that completes its n.
			if len(got) == n {
				last := 0
				for k, e := range l {
					if e == got[n-1] {
						last = k + 1
						break
					}
				}
				if calls != last {
					t.Errorf("list %d, n %d: %d rows cited, want %d", li, n, calls, last)
				}
			}
		}
	}
}
