package rules

import (
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// A server log that was given but whose clock offset could not be found
// (its events are in no run) is not "no server log": the finding and the
// cannot-check statuses name the file and how to place it. The run is
// ahsp v18's (45 login POSTs answered 500, CSV only); the clocks are what
// correlate decides for a one-record django_errors.log it cannot place.
func TestUnexplainedNamesUnplacedLogs(t *testing.T) {
	unknown := func(file string) correlate.Clock {
		return correlate.Clock{File: file, Zone: "unknown", Method: "unknown", LeftOut: 1}
	}
	cases := []struct {
		name    string
		clocks  []correlate.Clock
		formats map[string]string
		// summary and missing are what the finding must say (substrings,
		// missing in order); notSummary what it must not.
		summary, notSummary string
		missing             []string
		// checkSays is in application-exception's cannot-check sentence.
		checkSays string
	}{
		{name: "no log given",
			summary: "no server log was given for this run", missing: []string{"Django error log / runserver stderr", "PgBouncer log"},
			checkSays: "cannot be checked without Django's error log or runserver's stderr"},
		{name: "django log off the clock",
			clocks: []correlate.Clock{unknown("logs/django_errors.log")}, formats: map[string]string{"logs/django_errors.log": "django"},
			summary: "django_errors.log was given, but its clock is unknown", notSummary: "no server log was given",
			missing:   []string{"Django error log / runserver stderr — django_errors.log was given", "PgBouncer log"},
			checkSays: "runserver's stderr — django_errors.log was given, but its clock is unknown (give --tz or --tz-source)"},
		{name: "two server logs off the clock",
			clocks:    []correlate.Clock{unknown("a/runserver.err.log"), unknown("a/pgbouncer.log")},
			formats:   map[string]string{"a/runserver.err.log": "runserver", "a/pgbouncer.log": "pgbouncer"},
			summary:   "runserver.err.log, pgbouncer.log were given, but their clocks are unknown",
			missing:   []string{"runserver stderr — runserver.err.log was given", "PgBouncer log — pgbouncer.log was given"},
			checkSays: "runserver.err.log was given"},
		{name: "only a client log off the clock",
			clocks: []correlate.Clock{unknown("auth_debug.log")}, formats: map[string]string{"auth_debug.log": "auth_debug"},
			summary: "no server log was given for this run", missing: []string{"Django error log / runserver stderr", "PgBouncer log"},
			checkSays: "cannot be checked without Django's error log or runserver's stderr"},
		{name: "a file with every event placed",
			clocks:  []correlate.Clock{{File: "django_errors.log", Zone: "UTC+07:00", Method: "cross-correlation"}},
			formats: map[string]string{"django_errors.log": "django"},
			summary: "no server log was given for this run", missing: []string{"Django error log / runserver stderr", "PgBouncer log"},
			checkSays: "cannot be checked without Django's error log or runserver's stderr"},
	}
	set := builtinOnly(t, "server-errors-unexplained", "application-exception")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := v18Run()
			run.Failures = []parsers.FailureRow{{Source: "csv", File: run.Name + "_failures.csv", Line: 2, Method: "POST",
				Name: "[AUTH] Login POST", Error: "HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST')", Occurrences: 45}}
			run.Clock = c.clocks
			a := &correlate.Analysis{Runs: []*correlate.Run{run}}
			for f, format := range c.formats {
				a.Sources = append(a.Sources, parsers.Audit{Path: f, Format: format})
			}
			res := set.EvaluateRun(a, run, DefaultTargets)
			var f *Finding
			for i := range res.Findings {
				if res.Findings[i].ID == "server-errors-unexplained" {
					f = &res.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no server-errors-unexplained finding: %+v", res.Findings)
			}
			if !strings.Contains(f.Summary, c.summary) || c.notSummary != "" && strings.Contains(f.Summary, c.notSummary) {
				t.Errorf("summary %q: want %q, not %q", f.Summary, c.summary, c.notSummary)
			}
			if len(f.Missing) != len(c.missing) {
				t.Fatalf("missing %q, want %d entries like %q", f.Missing, len(c.missing), c.missing)
			}
			for i, m := range c.missing {
				if !strings.Contains(f.Missing[i], m) {
					t.Errorf("missing[%d] = %q, want it to hold %q", i, f.Missing[i], m)
				}
			}
			for _, st := range res.Checks {
				if st.ID == "application-exception" && (st.Status != StatusCannotCheck || !strings.Contains(st.Sentence(), c.checkSays)) {
					t.Errorf("application-exception: %s %q, want cannot-check saying %q", st.Status, st.Sentence(), c.checkSays)
				}
			}
		})
	}
}

// missingFrom, which every rule naming a log as missing evidence uses,
// says which given file is off the run's clock only for the sources named.
func TestMissingFromNamesUnplacedFiles(t *testing.T) {
	run := &correlate.Run{Name: "r", Logs: []string{"placed/auth_debug.log"}, Clock: []correlate.Clock{
		{File: "logs/django_errors.log", Method: "unknown", LeftOut: 3},
		{File: "placed/auth_debug.log", Method: "cross-correlation", LeftOut: 2}, // in the run: some events placed
		{File: "pgbouncer.log", Method: "explicit"},
	}}
	a := &correlate.Analysis{Runs: []*correlate.Run{run}, Sources: []parsers.Audit{
		{Path: "logs/django_errors.log", Format: "django"}, {Path: "placed/auth_debug.log", Format: "auth_debug"}, {Path: "pgbouncer.log", Format: "pgbouncer"}}}
	ctx := &Context{Analysis: a, Run: run}
	for _, c := range []struct {
		srcs []Source
		want string
	}{
		{[]Source{SrcDjango, SrcRunserver}, "traceback — django_errors.log was given, but its clock is unknown (give --tz or --tz-source)"},
		{[]Source{SrcPgBouncer}, "traceback"},
		{[]Source{SrcAuthDebug}, "traceback"},
		{nil, "traceback"},
	} {
		if got := missingFrom(ctx, "traceback", c.srcs...); got != c.want {
			t.Errorf("%v: %q, want %q", c.srcs, got, c.want)
		}
	}
}
