package rules

import (
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// From the CSV alone the ceiling names the log that would confirm it; with
// a PgBouncer log that has no query_wait_timeout, PgBouncer is ruled out.
func TestCeilingNamesWhatWouldConfirmIt(t *testing.T) {
	a := fixtureRuns(t, "testdata/latency-ceiling/fire-login-5xx")
	r := a.Runs[0]
	fs := runCheck(t, "latency-ceiling", a, r)
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	f := fs[0]
	if !strings.Contains(f.Summary, "matching PgBouncer's default query_wait_timeout") || !strings.Contains(strings.Join(f.Missing, " "), "PgBouncer's log") {
		t.Errorf("summary %q missing %v", f.Summary, f.Missing)
	}
	if f.Metrics["locust_5xx_on_ceiling"] != 82 || f.Severity != "high" {
		t.Errorf("the 5xx on the ceiling rows are part of the story: %v %s", f.Metrics, f.Severity)
	}
	r.Events = correlate.EventsOf(ev(parsers.Event{Source: "pgbouncer", File: "pgbouncer.log", Line: 5, Kind: parsers.KindClosing,
		Message: "C-0x55df629d16d0: rabdb/rabapp@127.0.0.1:57102 closing because: client close request (age=0s)",
		Attrs:   map[string]string{"reason": "client close request", "age_s": "0"}}))
	fs = runCheck(t, "latency-ceiling", a, r)
	if len(fs) != 1 || !strings.Contains(fs[0].Summary, "so the limit is another one") || len(fs[0].RuledOut) == 0 {
		t.Errorf("with a clean PgBouncer log: %+v", fs)
	}
}
