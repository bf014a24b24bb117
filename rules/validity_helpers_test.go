package rules

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// csvRun builds a run from real Locust CSV excerpts, for unit tests that
// must not wait on the parse and correlate stages. It reads only the
// columns the validity checks use; the real pipeline is exercised by the
// fixtures and the corpus test.
type csvRun struct {
	name                                 string
	stats, history, failures, exceptions string
}

func (c csvRun) build(t *testing.T) *correlate.Run {
	t.Helper()
	r := &correlate.Run{Name: c.name}
	read := func(suffix, text string, row func(file string, line int64, get func(string) string)) {
		if text == "" {
			return
		}
		file := c.name + suffix
		cr := csv.NewReader(strings.NewReader(strings.TrimLeft(text, "\n")))
		cr.FieldsPerRecord = -1
		hdr, err := cr.Read()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			line, _ := cr.FieldPos(0)
			get := func(col string) string {
				for i, h := range hdr {
					if h == col && i < len(rec) {
						return rec[i]
					}
				}
				return ""
			}
			row(file, int64(line), get)
		}
	}
	num := func(s string) *float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil
		}
		return &f
	}
	atoi := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	pcts := func(get func(string) string) parsers.Percentiles {
		var p parsers.Percentiles
		for i, ptr := range p.Ptrs() {
			*ptr = num(get(parsers.PercentileHeaders[i]))
		}
		return p
	}
	read("_stats.csv", c.stats, func(file string, line int64, get func(string) string) {
		r.Stats = append(r.Stats, parsers.StatRow{Run: c.name, Source: "csv", File: file, Line: line,
			Type: get("Type"), Name: get("Name"), Requests: atoi(get("Request Count")), Failures: atoi(get("Failure Count")),
			Median: num(get("Median Response Time")), Average: num(get("Average Response Time")),
			Min: num(get("Min Response Time")), Max: num(get("Max Response Time")),
			AvgContentSize: num(get("Average Content Size")), RPS: num(get("Requests/s")), FPS: num(get("Failures/s")),
			Percentiles: pcts(get)})
	})
	for i := range r.Stats {
		if model.IsAggregated(&r.Stats[i]) {
			r.Aggregated = &r.Stats[i]
		}
	}
	read("_stats_history.csv", c.history, func(file string, line int64, get func(string) string) {
		h := parsers.HistoryRow{Run: c.name, Source: "csv", File: file, Line: line,
			Time: time.Unix(atoi(get("Timestamp")), 0).UTC(), Users: atoi(get("User Count")), Type: get("Type"), Name: get("Name"),
			RPS: num(get("Requests/s")), FPS: num(get("Failures/s")), Percentiles: pcts(get),
			TotalRequests: atoi(get("Total Request Count")), TotalFailures: atoi(get("Total Failure Count")),
			TotalMax: num(get("Total Max Response Time"))}
		r.History = append(r.History, h)
		if h.Users > r.UsersMax {
			r.UsersMax = h.Users
		}
	})
	read("_failures.csv", c.failures, func(file string, line int64, get func(string) string) {
		r.Failures = append(r.Failures, parsers.FailureRow{Run: c.name, Source: "csv", File: file, Line: line,
			Method: get("Method"), Name: get("Name"), Error: get("Error"), Occurrences: atoi(get("Occurrences"))})
	})
	read("_exceptions.csv", c.exceptions, func(file string, line int64, get func(string) string) {
		r.Exceptions = append(r.Exceptions, parsers.ExceptionRow{Run: c.name, Source: "csv", File: file, Line: line,
			Count: atoi(get("Count")), Message: get("Message"), Traceback: get("Traceback"), Nodes: get("Nodes")})
	})
	if len(r.History) > 0 {
		r.Start, r.End = r.History[0].Time, r.History[len(r.History)-1].Time
	}
	return r
}

// loadRule reads builtin/<id>.yaml with the engine's own decoding rules
// (unknown keys are errors).
func loadRule(t *testing.T, id string) *Rule {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("builtin", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	r := Rule{Origin: "builtin/" + id + ".yaml"}
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("builtin/%s.yaml: %v", id, err)
	}
	if err := r.compile(); err != nil {
		t.Fatalf("builtin/%s.yaml: %v", id, err)
	}
	return &r
}

// runCheck runs the check of rule id on a run (with an analysis of its own
// when a is nil), fills severity as the engine does, and fails the test
// when a finding cites nothing.
func runCheck(t *testing.T, id string, a *correlate.Analysis, r *correlate.Run) []Finding {
	t.Helper()
	rule := loadRule(t, id)
	if a == nil {
		a = &correlate.Analysis{Runs: []*correlate.Run{r}}
	}
	fs := rule.impl.run(&Context{Analysis: a, Run: r, Rule: rule, Targets: DefaultTargets}, rule.params)
	for i := range fs {
		f := &fs[i]
		if f.ID == "" {
			f.ID = rule.ID
		}
		if f.Severity == "" {
			f.Severity = rule.Severity
		}
		if f.Summary == "" || len(f.Evidence) == 0 {
			t.Errorf("%s on %s: finding without summary or evidence: %+v", id, r.Name, f)
		}
		for _, e := range f.Evidence {
			if e.File == "" || e.Text == "" {
				t.Errorf("%s on %s: evidence without file or text: %+v", id, r.Name, e)
			}
		}
	}
	return fs
}

// fixtureRuns reads a fixture case folder's Locust CSVs into runs (one per
// --csv prefix), sorted by name, and the analysis holding them.
func fixtureRuns(t *testing.T, dir string) *correlate.Analysis {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	byRun := map[string]*csvRun{}
	var names []string
	for _, e := range ents {
		n := e.Name()
		for _, suf := range []string{"_stats_history.csv", "_stats.csv", "_failures.csv", "_exceptions.csv"} {
			if !strings.HasSuffix(n, suf) {
				continue
			}
			run := strings.TrimSuffix(n, suf)
			c := byRun[run]
			if c == nil {
				c = &csvRun{name: run}
				byRun[run] = c
				names = append(names, run)
			}
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			switch suf {
			case "_stats_history.csv":
				c.history = string(b)
			case "_stats.csv":
				c.stats = string(b)
			case "_failures.csv":
				c.failures = string(b)
			case "_exceptions.csv":
				c.exceptions = string(b)
			}
			break
		}
	}
	sort.Strings(names)
	a := &correlate.Analysis{}
	for _, n := range names {
		a.Runs = append(a.Runs, byRun[n].build(t))
	}
	// As the correlation stage orders them: start time, then name.
	sort.SliceStable(a.Runs, func(i, j int) bool { return a.Runs[i].Start.Before(a.Runs[j].Start) })
	return a
}

// fixtureCase runs a check over every run of a fixture case and returns the
// findings per run name.
func fixtureCase(t *testing.T, check, dir string) map[string][]Finding {
	t.Helper()
	a := fixtureRuns(t, dir)
	out := map[string][]Finding{}
	for _, r := range a.Runs {
		out[r.Name] = runCheck(t, check, a, r)
	}
	return out
}
