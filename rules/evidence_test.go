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
