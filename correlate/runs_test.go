package correlate

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

// TestLocust0xRun: a Locust 0.x --csv pair (PREFIX_requests.csv +
// PREFIX_distribution.csv, as jmeagher/playground published them) is a run,
// with the total row as its Aggregated row and no user count.
func TestLocust0xRun(t *testing.T) {
	var targets []parsers.Target
	for _, f := range []string{"es_prechaos_requests.csv", "es_prechaos_distribution.csv"} {
		targets = append(targets, parsers.Target{Path: filepath.Join("..", "parsers", "testdata", "public", f), Name: f})
	}
	ds := parsers.Parse(targets, parsers.Options{})
	defer ds.Release()
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Runs) != 1 {
		t.Fatalf("%d runs; messages %q", len(a.Runs), a.Messages)
	}
	r := a.Runs[0]
	if len(r.Files) != 2 || r.Files[0] != "es_prechaos_distribution.csv" {
		t.Errorf("files %q: the distribution file is the run's too", r.Files)
	}
	if r.Name != "es_prechaos" || r.Aggregated == nil || r.Aggregated.Requests != 5797 || !r.UsersUnknown || r.WindowSource != "none" {
		t.Errorf("run %s aggregated %+v users unknown %v window %s", r.Name, r.Aggregated, r.UsersUnknown, r.WindowSource)
	}
}

// TestNoRunReasons: an input without a run says why, file by file.
func TestNoRunReasons(t *testing.T) {
	tests := []struct {
		name   string
		audits []parsers.Audit
		want   []string
	}{
		{"a Locust-named file read as something else",
			[]parsers.Audit{{Path: "logs/x_requests.csv", Format: "unknown", Lines: 1, Unparsed: 1}},
			[]string{"logs/x_requests.csv: named like a Locust 0.x requests file but read as unknown (0 record(s), 1 unparsed line(s)) with no Locust rows"}},
		{"Locust rows without a run name",
			[]parsers.Audit{{Path: "requests.csv", Format: "locust_csv", Records: 4, Tables: map[string]int64{"locust_stats": 4}}},
			[]string{"requests.csv: 4 Locust row(s) but no run name"}},
		{"nothing Locust at all",
			[]parsers.Audit{{Path: "django_errors.log", Format: "django", Records: 3, Tables: map[string]int64{"events": 3}}},
			[]string{"no Locust run: none of the 1 file(s)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := noRunReasons(tt.audits)
			if len(got) != len(tt.want) {
				t.Fatalf("%q", got)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("%q\nwant prefix %q", got[i], tt.want[i])
				}
			}
		})
	}
}
