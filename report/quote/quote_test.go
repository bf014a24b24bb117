package quote

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

func parsed(t *testing.T, name, body string) (*schema.Dataset, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return parsers.Parse([]parsers.Target{{Path: p, Name: name}}, parsers.Options{}), p
}

const pgLines = "2026-11-29 20:46:14.430 WIB [25331] WARNING C-0x1: rabdb/rabapp@127.0.0.1:49878 pooler error: query_wait_timeout\n" +
	"2026-11-29 20:46:15.000 WIB [25331] LOG C-0x2: rabdb/rabapp@127.0.0.1:49879 login attempt: db=rabdb user=rabapp password=hunter2 tls=no\n"

// Lines come back by position, redacted unless asked not to; by path
// too; a file changed since the parse is named, and its quotes stay.
func TestResolve(t *testing.T) {
	ds, path := parsed(t, "pgbouncer.log", pgLines)
	second := strings.Index(pgLines, "\n") + 1
	var got [3]string
	reqs := []Request{
		{Pos: schema.Ref{File: 0, Line: 1, End: 1, Offset: 0}, Set: func(s string) { got[0] = s }},
		{Pos: schema.Ref{File: 0, Line: 2, End: 2, Offset: int64(second)}, Set: func(s string) { got[1] = s }},
		{Pos: schema.Ref{Line: 2, End: 2, Offset: int64(second)}, ByPath: true, Path: "pgbouncer.log", Set: func(s string) { got[2] = s }},
	}
	if msgs := Resolve(ds.Files, false, reqs); len(msgs) != 0 {
		t.Fatalf("messages %q", msgs)
	}
	if got[0] != strings.Split(pgLines, "\n")[0] {
		t.Errorf("line 1 read back as %q", got[0])
	}
	if strings.Contains(got[1], "hunter2") || !strings.Contains(got[1], "login attempt") || got[2] != got[1] {
		t.Errorf("line 2 read back as %q / by path %q: want it redacted, the same both ways", got[1], got[2])
	}
	var plain string
	Resolve(ds.Files, true, []Request{{Pos: reqs[1].Pos, Set: func(s string) { plain = s }}})
	if !strings.Contains(plain, "hunter2") {
		t.Errorf("--no-redact read back %q", plain)
	}

	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	kept := "as parsed"
	msgs := Resolve(ds.Files, false, []Request{{Pos: reqs[0].Pos, Set: func(s string) { kept = s }}})
	if len(msgs) != 1 || !strings.Contains(msgs[0], "cannot be read back") || kept != "as parsed" {
		t.Errorf("changed file: messages %q, quote %q", msgs, kept)
	}
}

// A Locust row or fact cited from an HTML report keeps its rendering: the
// report is markup, and the line at its position is not the row.
func TestResolveLeavesHTMLReportRows(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "..", "samples", "pool-exhaustion", "hasil_test_pool_exhaustion.html"))
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := parsed(t, "report.html", string(body))
	if ds.Files[0].Format != schema.SourceLocustHTML {
		t.Fatalf("fixture read as %s", ds.Files[0].Format)
	}
	kept := "requests_statistics: ,Aggregated,183,60"
	msgs := Resolve(ds.Files, false, []Request{{Pos: schema.Ref{Line: 264, End: 264}, ByPath: true, Path: "report.html", Set: func(s string) { kept = s }}})
	if len(msgs) != 0 || kept != "requests_statistics: ,Aggregated,183,60" {
		t.Errorf("HTML report row: messages %q, quote %q; want the rendering kept", msgs, kept)
	}
}
