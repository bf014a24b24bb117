package rules

import (
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// The fixture folders hold real rows from the user's runs; these tests read
// them with csvRun so the checks are tested before the parse stage exists.
func TestValidityTagFixtures(t *testing.T) {
	tests := []struct {
		check, dir string
		want       map[string]int // run → findings (runs not named: 0)
		severity   string         // of the first finding of the first named run
	}{
		{"locust-tags-comma-separated", "testdata/locust-tags-comma-separated/fire",
			map[string]int{"hasil_test_v24_100u_pool140_no_export_no_admin": 1}, "high"},
		{"locust-tags-comma-separated", "testdata/locust-tags-comma-separated/fire_exclude",
			map[string]int{"hasil_test_v23_100u_pool140_no_export_no_admin": 1}, "medium"},
		{"locust-tags-comma-separated", "testdata/locust-tags-comma-separated/quiet", nil, ""},
		{"user-class-without-tasks", "testdata/user-class-without-tasks/fire",
			map[string]int{"hasil_test_v24_100u_pool140_no_export_no_admin": 1}, ""},
		{"user-class-without-tasks", "testdata/user-class-without-tasks/quiet", nil, ""},
		{"auth-only-run", "testdata/auth-only-run/fire", map[string]int{"hasil_test_v19_100u_nolimit": 1}, ""},
		{"auth-only-run", "testdata/auth-only-run/quiet", nil, ""},
		{"excluded-tag-ran", "testdata/excluded-tag-ran/fire-siblings",
			map[string]int{"hasil_test_v21_100u_pool140_no_export": 1}, "medium"},
		{"excluded-tag-ran", "testdata/excluded-tag-ran/quiet-name-only", nil, ""},
		{"excluded-tag-ran", "testdata/excluded-tag-ran/quiet-name-full-set", nil, ""},
		{"excluded-tag-ran", "testdata/excluded-tag-ran/quiet", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			got := fixtureCase(t, tc.check, tc.dir)
			for run, fs := range got {
				if len(fs) != tc.want[run] {
					t.Errorf("%s: %d findings %v, want %d", run, len(fs), fs, tc.want[run])
				}
			}
			for run := range tc.want {
				if fs := got[run]; tc.severity != "" && len(fs) > 0 && fs[0].Severity != tc.severity {
					t.Errorf("%s: severity %q, want %q", run, fs[0].Severity, tc.severity)
				}
			}
		})
	}
}

func TestTagsCommaFromCommandLine(t *testing.T) {
	tests := []struct {
		meta    []parsers.MetaRow
		want    int
		exclude bool
	}{
		{[]parsers.MetaRow{{Key: "command_line", Value: "locust -f lf.py --headless -u 100 --tags api,page,phase1,phase2 --csv=x"}}, 1, false},
		{[]parsers.MetaRow{{Key: "command_line", Value: "locust -f lf.py --exclude-tags export,admin --csv=x"}}, 1, true},
		{[]parsers.MetaRow{{Key: "command_line", Value: "locust -f lf.py --tags api page phase1 phase2 --csv=x"}}, 0, false},
		{[]parsers.MetaRow{{Key: "tags", Value: "['api,page']"}}, 1, false},
		{[]parsers.MetaRow{{Key: "exclude_tags", Value: "export"}}, 0, true},
		{[]parsers.MetaRow{{Key: "command_line", Value: "locust --tags=api,page"}}, 1, false},
	}
	for _, tc := range tests {
		for i := range tc.meta {
			tc.meta[i].File = "locust.log"
			tc.meta[i].Line = 3
		}
		r := &correlate.Run{Name: "x", Meta: tc.meta}
		fs := runCheck(t, "locust-tags-comma-separated", nil, r)
		if len(fs) != tc.want {
			t.Errorf("%v: %d findings, want %d", tc.meta, len(fs), tc.want)
			continue
		}
		if tc.want == 1 && tc.exclude != strings.Contains(fs[0].Summary, "--exclude-tags") {
			t.Errorf("%v: summary %q names the wrong option", tc.meta, fs[0].Summary)
		}
	}
}

func TestNameExclusions(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"hasil_test_v19_100u_nolimit_pool140_no_export", "export"},
		{"hasil_test_v23_100u_pool140_no_export_no_admin", "export,admin"},
		{"hasil_test_v19_100u_nolimit", ""},
		{"hasil_test_auth_probe", ""},
	}
	for _, tc := range tests {
		if got := strings.Join(nameExclusions(tc.name), ","); got != tc.want {
			t.Errorf("nameExclusions(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// An exclusion the command line states: high when the kind ran in full
// (as many names as a run of the same scenario without it), medium
// without a run to compare.
func TestExcludedTagRanFromCommandLine(t *testing.T) {
	a := fixtureRuns(t, "testdata/excluded-tag-ran/quiet-name-full-set")
	var v23 *correlate.Run
	for _, r := range a.Runs {
		if strings.Contains(r.Name, "v23") {
			v23 = r
		}
	}
	v23.Meta = []parsers.MetaRow{{Key: "command_line", Value: "locust -f load_testing/locustfile.py --headless -u 100 -r 4 -t 300s --exclude-tags export admin --csv=x", File: "locust.log", Line: 3}}
	fs := runCheck(t, "excluded-tag-ran", a, v23)
	if len(fs) == 0 || fs[0].Severity != "high" || !strings.Contains(fs[0].Summary, "command line") {
		t.Fatalf("got %+v", fs)
	}
	alone := runCheck(t, "excluded-tag-ran", &correlate.Analysis{Runs: []*correlate.Run{v23}}, v23)
	if len(alone) == 0 || alone[0].Severity != "medium" || len(alone[0].Missing) == 0 {
		t.Errorf("without a sibling: %+v", alone)
	}
}

// The HTML report's user-class table is read before the tags are blamed:
// a run whose only weighted class is the login's ran logins by design.
func TestTagsCommaReadsUserClasses(t *testing.T) {
	a := fixtureRuns(t, "testdata/locust-tags-comma-separated/fire")
	r := a.Runs[0]
	r.Tasks = []parsers.TaskRow{{UserClass: "AuthOnlyUser", ClassRatio: 1, Task: "login", Ratio: 1, TotalRatio: 1, File: "x.html"}}
	if fs := runCheck(t, "locust-tags-comma-separated", a, r); len(fs) != 0 {
		t.Errorf("blamed the tags although only the login class was weighted: %v", fs)
	}
	r.Tasks = []parsers.TaskRow{
		{UserClass: "APIUser", ClassRatio: 0.27, Task: "api_chart_data", File: "x.html"},
		{UserClass: "BrowsingUser", ClassRatio: 0.73, Task: "dashboard", File: "x.html"},
	}
	fs := runCheck(t, "locust-tags-comma-separated", a, r)
	if len(fs) != 1 || !strings.Contains(fs[0].Summary, "APIUser 27 %") {
		t.Errorf("want the inference with the class table named: %v", fs)
	}
}
