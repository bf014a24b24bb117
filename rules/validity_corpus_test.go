package rules

import (
	"os"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

const ahspCorpus = "../../shared/corpus/ahsp"

// ahspAnalysis analyses the user's real runs through the real pipeline
// when it is wired (pipeline_test.go), else through csvRun.
func ahspAnalysis(t *testing.T) *correlate.Analysis {
	t.Helper()
	if _, err := os.Stat(ahspCorpus); err != nil {
		t.Skip("corpus ../shared/corpus/ahsp absent: real-run assertions not checked")
	}
	if pipeline != nil {
		a, err := pipeline([]string{ahspCorpus})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	return fixtureRuns(t, ahspCorpus)
}

// The weekly report's own conclusions, pinned on the real files: v24 ran
// only logins because of "--tags api,page,phase1,phase2"; the multi-user
// auth-only run has no login POST; the v19 no-export run still ran export
// requests.
func TestValidityAHSP(t *testing.T) {
	a := ahspAnalysis(t)
	byName := map[string]*correlate.Run{}
	for _, r := range a.Runs {
		byName[r.Name] = r
	}
	tests := []struct {
		run, id string
		fire    bool
	}{
		{"hasil_test_v24_100u_pool140_no_export_no_admin", "locust-tags-comma-separated", true},
		{"hasil_test_v24_100u_pool140_no_export_no_admin", "user-class-without-tasks", true},
		{"hasil_test_v24_100u_pool140_no_export_no_admin", "auth-only-run", true},
		{"hasil_test_v24_100u_pool140_no_export_no_admin", "excluded-tag-ran", false},
		{"hasil_test_auth_only_50u_multi_nolimit", "login-post-missing", true},
		{"hasil_test_auth_only_50u_multi_nolimit", "auth-only-run", false},
		{"hasil_test_auth_only_50u_multi_nolimit_v3_pool100", "login-post-missing", false},
		{"hasil_test_v19_100u_nolimit_pool140_no_export", "excluded-tag-ran", true},
		{"hasil_test_v21_100u_pool140_no_export", "excluded-tag-ran", true},
		{"hasil_test_v23_100u_pool140_no_export_no_admin", "excluded-tag-ran", false}, // full export set, no command line: locust-tags-comma-separated infers it
		{"hasil_test_v18_100u_pgbouncer_redis_20260111_114225", "excluded-tag-ran", false},
		{"hasil_test_v19_100u_nolimit", "locust-tags-comma-separated", false},
		{"hasil_test_v19_100u_nolimit_pool140_no_export", "responses-are-login-page", true},
		{"hasil_test_auth_probe", "responses-are-login-page", false},
	}
	for _, tc := range tests {
		r := byName[tc.run]
		if r == nil {
			t.Errorf("run %s not found in the corpus analysis", tc.run)
			continue
		}
		fs := runCheck(t, tc.id, a, r)
		if (len(fs) > 0) != tc.fire {
			t.Errorf("%s on %s: fired=%v, want %v: %v", tc.id, tc.run, len(fs) > 0, tc.fire, fs)
		}
	}
}
