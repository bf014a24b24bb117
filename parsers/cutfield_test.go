package parsers

import (
	"fmt"
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

// csvOpenQuote follows encoding/csv's LazyQuotes reading of a line.
func TestCSVOpenQuote(t *testing.T) {
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
		if got := csvOpenQuote([]byte(c.line), c.inQuote); got != c.want {
			t.Errorf("csvOpenQuote(%q, %v) = %v, want %v", c.line, c.inQuote, got, c.want)
		}
	}
}
