package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Every name in the timeline's text comes from a file name or a log line,
// so none of it may reach the terminal as a control sequence.
func TestTimelineTextSanitizes(t *testing.T) {
	evil := "django\x1b]0;owned\x07\x1b[2J.log"
	at := time.Date(2026, 1, 11, 3, 42, 27, 0, time.UTC)
	d := &TimelineDoc{Runs: []TimelineRun{{
		Name: "run" + evil, Start: &at, End: &at, WindowSource: "history",
		Incidents: []IncidentDoc{{Start: at, End: at, Errors: 3, FirstSources: []string{evil, "pgbouncer.log"}}},
		Clusters:  []ClusterDoc{{Kind: "log", Template: "boom " + evil, Count: 3}},
	}}, Orphans: []string{evil}, Messages: []string{evil}}
	var b bytes.Buffer
	if err := WriteTimelineText(&b, d); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control sequence reached the terminal:\n%q", out)
	}
	if !strings.Contains(out, "first: django.log, pgbouncer.log") {
		t.Errorf("incident sources not printed:\n%s", out)
	}
}
