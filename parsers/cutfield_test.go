package parsers

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// bigFieldFailures is a failures CSV of 49 rows whose tenth carries a
// quoted Error longer than MaxLineBytes, on one line.
func bigFieldFailures() string {
	var b strings.Builder
	b.WriteString("Method,Name,Error,Occurrences\n")
	for i := 1; i <= 49; i++ {
		msg := fmt.Sprintf("HTTPError('500 Server Error for /api/item/%d/')", i)
		if i == 10 {
			msg = "HTTPError('500 with body " + strings.Repeat("x", MaxLineBytes+4096) + "')"
		}
		fmt.Fprintf(&b, "GET,/api/item/%d/,\"%s\",1\n", i, msg)
	}
	return b.String()
}

// A CSV field longer than the line limit is cut; the cut must not leave
// a quote open that swallows the rows after it. The damaged row is counted
// as unparsed, and a warning says so.
func TestCSVFieldOverLineLimit(t *testing.T) {
	res := parseText(t, "big_failures.csv", bigFieldFailures(), Options{})
	if len(res.Failures) != 48 {
		t.Errorf("%d failure rows, want 48 (49 less the one cut)", len(res.Failures))
	}
	if res.Audit.Unparsed != 1 || res.Audit.Records != 48 {
		t.Errorf("records %d, unparsed %d; want 48 and 1", res.Audit.Records, res.Audit.Unparsed)
	}
	got := map[string]int64{}
	for _, f := range res.Failures {
		got[f.Name] = f.Line
		if len(f.Error) > 200 {
			t.Errorf("line %d: error of %d bytes: it swallowed the rows after it", f.Line, len(f.Error))
		}
	}
	for i := 1; i <= 49; i++ {
		name := fmt.Sprintf("/api/item/%d/", i)
		if line, ok := got[name]; i != 10 && (!ok || line != int64(i+1)) {
			t.Errorf("row %s: line %d, present %v; want line %d", name, line, ok, i+1)
		}
	}
	want := "big_failures.csv:11: a field is longer than 1048576 bytes and was cut; the row is counted as unparsed"
	if !strings.Contains(strings.Join(res.Audit.Warnings, "\n"), want) {
		t.Errorf("warnings %q lack %q", res.Audit.Warnings, want)
	}
}

// csvScanner follows encoding/csv's LazyQuotes reading of a line: whether
// a quoted field is still open after it (the record goes on to the next
// line) or not.
func TestCSVScannerQuotes(t *testing.T) {
	cases := []struct {
		line    string
		inQuote bool
		want    bool
	}{
		{`a,b,c`, false, false},
		{`a,"b,c`, false, true},
		{`a,"b",c`, false, false},
		{`a,"b""c`, false, true},
		{`a,"b""c"`, false, false},
		{`a,"b"x,c`, false, true}, // lazy: a quote inside a quoted field is kept
		{`a,b"c,d`, false, false}, // lazy: a quote inside a bare field is kept
		{`still inside`, true, true},
		{`end of it",1`, true, false},
		{`end of it"`, true, false},
		{`,"`, false, true},
		{``, true, true},
	}
	for _, c := range cases {
		lines := []string{c.line, "next"}
		if c.inQuote {
			lines = append([]string{`x,"`}, lines...)
		}
		k := 0
		s := csvScanner{next: func() (Line, bool) {
			if k == len(lines) {
				return Line{}, false
			}
			k++
			return Line{N: int64(k), Text: []byte(lines[k-1])}, true
		}}
		at := int64(len(lines) - 1) // the line's number
		var end int64
		for s.scan() {
			if s.start <= at && at <= s.end {
				end = s.end
			}
		}
		if got := end > at; got != c.want {
			t.Errorf("%q (in a quote %v): open after it %v, want %v", c.line, c.inQuote, got, c.want)
		}
	}
}

// The scanner reads what encoding/csv (LazyQuotes, any field count) reads
// from the same lines, each ended by "\n": the same records, fields and
// first and last physical lines.
func FuzzCSVScanner(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "x,\"a\nb\",c\n\n\"q\"\"x\",\"y\"z\n", "\"open\n\nstill", ",\"\n,\n", "a,\"b\"x,c\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		// Lines as Input cuts them: at LF, and at a CR.
		lines := strings.Split(strings.ReplaceAll(data, "\r", "\n"), "\n")
		if n := len(lines); lines[n-1] == "" {
			lines = lines[:n-1]
		}
		var feed strings.Builder
		for _, l := range lines {
			feed.WriteString(l + "\n")
		}
		rd := csv.NewReader(strings.NewReader(feed.String()))
		rd.LazyQuotes, rd.FieldsPerRecord = true, -1
		k := 0
		s := csvScanner{next: func() (Line, bool) {
			if k == len(lines) {
				return Line{}, false
			}
			k++
			return Line{N: int64(k), Text: []byte(lines[k-1])}, true
		}}
		for {
			want, err := rd.Read()
			got := s.scan()
			if err != nil {
				if got {
					t.Fatalf("%q: csv ends (%v), the scanner reads %q", data, err, s.fields(nil))
				}
				return
			}
			if !got {
				t.Fatalf("%q: the scanner ends, csv reads %q", data, want)
			}
			if fs := s.fields(nil); !slices.Equal(fs, want) {
				t.Fatalf("%q: fields %q, csv %q", data, fs, want)
			}
			first, _ := rd.FieldPos(0)
			last, _ := rd.FieldPos(len(want) - 1)
			end := min(int64(last)+int64(strings.Count(want[len(want)-1], "\n")), int64(len(lines)))
			if s.start != int64(first) || s.end != end {
				t.Fatalf("%q: lines %d-%d, csv %d-%d", data, s.start, s.end, first, end)
			}
		}
	})
}
