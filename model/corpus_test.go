package model

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

const ahspCorpus = "../../shared/corpus/ahsp"

// Pipeline is pipeline.Analyze (set by pipeline_ext_test.go, package
// model_test: this package's own tests cannot import pipeline).
var Pipeline func(opt correlate.Options, paths ...string) (*correlate.Analysis, error)

// ahsp analyses the user's real runs through the real parse and correlate
// stages; the test is skipped when the corpus is not beside the checkout.
func ahsp(t *testing.T) *correlate.Analysis {
	t.Helper()
	if _, err := os.Stat(ahspCorpus); err != nil {
		t.Skipf("corpus %s absent: real-run assertions not checked", ahspCorpus)
	}
	a, err := Pipeline(correlate.Options{}, ahspCorpus)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func byName(t *testing.T, a *correlate.Analysis, name string) *correlate.Run {
	t.Helper()
	for _, r := range a.Runs {
		if r.Name == "hasil_test_"+name {
			return r
		}
	}
	t.Fatalf("run %s not in the corpus analysis", name)
	return nil
}

// The headline facts, on the user's real runs: auth_probe is the
// one run where every login worked, and it tells the others' real bodies;
// v18 and v19–v23 mostly answered the login page.
func TestMeasureAHSP(t *testing.T) {
	a := ahsp(t)
	m := Measure(a)
	if m.Reference == nil || m.Reference.Name != "hasil_test_auth_probe" {
		t.Fatalf("reference %v, want hasil_test_auth_probe", m.Reference)
	}
	if m.RealLogin == nil || m.RealLogin.Bytes != 16028 {
		t.Errorf("working login %+v, want the 16,028-byte page auth_probe's logins reach", m.RealLogin)
	}
	if m.RejectedLogin == nil || m.RejectedLogin.Bytes != 12832 {
		t.Errorf("rejected login %+v, want the 12,832-byte form", m.RejectedLogin)
	}
	for _, c := range []struct {
		run      string
		min, max float64 // login-page share of non-login successes
	}{
		{"v18_100u_pgbouncer_redis_20260111_114225", 0.70, 0.92},
		{"v19_100u_nolimit_pool100", 0.80, 0.96},
		{"v19_100u_nolimit_pool140", 0.80, 0.96},
		{"v19_100u_nolimit_pool140_no_export", 0.80, 0.96},
		{"v20_100u_pool140_no_export", 0.80, 0.96},
		{"v21_100u_pool140_no_export", 0.85, 0.96},
		{"v23_100u_pool140_no_export_no_admin", 0.78, 0.96},
	} {
		b := m.Of(byName(t, a, c.run))
		if lo, hi := b.LoginPageShare(), b.UpperShare(); lo < c.min || hi > c.max || lo > hi {
			t.Errorf("%s: login-page share %.3f..%.3f, want within %.2f..%.2f", c.run, lo, hi, c.min, c.max)
		}
		if !b.NotMeasured() {
			t.Errorf("%s: not flagged as not measuring the application", c.run)
		}
		if b.Reference != m.Reference {
			t.Errorf("%s: split without the reference run", c.run)
		}
	}
	// The issue's own numbers: v21's tahapan endpoint answered exactly the
	// login page (45 requests, 0 failures), its /dashboard/ averaged
	// 13,924 bytes against 136,432 where logins worked.
	v21 := m.Of(byName(t, a, "v21_100u_pool140_no_export"))
	for _, s := range v21.Rows {
		switch s.Row.Name {
		case "/api/project/[id]/tahapan/":
			if s.Kind != SplitReference || s.LoginPages != 45 {
				t.Errorf("v21 tahapan: %+v", s)
			}
		case "/dashboard/":
			if s.RefRow == nil || *s.RefRow.AvgContentSize != 136432 || s.Real < 3 || s.Real > 8 || !strings.Contains(s.Arithmetic, "136,432") {
				t.Errorf("v21 dashboard: %+v", s)
			}
		}
	}
	if v21.Failure == nil || v21.Failure.Bytes != 10103 {
		t.Errorf("v21 failure page %+v, want 10,103 bytes solved from its rows", v21.Failure)
	}
	// The reference itself is not split against itself.
	if ref := m.Of(m.Reference); ref.LoginPageShare() != 0 || ref.NotMeasured() {
		t.Errorf("auth_probe judged against itself: %.3f", ref.LoginPageShare())
	}
	// The shared 2,494-byte body is found without being told its size.
	if sh := v21.Shared; len(sh) != 1 || sh[0].Bytes != 2494 || len(sh[0].Rows) < 3 {
		t.Errorf("v21 shared bodies %+v, want the one 2,494-byte body", sh)
	}
}

// Login POST signatures from the CSV alone.
func TestLoginSignaturesAHSP(t *testing.T) {
	a := ahsp(t)
	m := Measure(a)
	// auth_probe_50u: 42 logins, 0 failures, median 49 ms; Locust's console
	// showed failures it did not count. The sizes split them exactly.
	s := m.Logins[byName(t, a, "auth_probe_50u")]
	if s == nil || s.Method != "size" || !s.Exact || s.Uncounted != 25 {
		t.Fatalf("auth_probe_50u: %+v", s)
	}
	// v18: 45 of 100 logins failed with 500; p90 260 ms is faster than any
	// working login (772 ms): at least 45 of the 55 successes were not
	// real logins.
	s = m.Logins[byName(t, a, "v18_100u_pgbouncer_redis_20260111_114225")]
	if s == nil || s.Method != "latency" || s.Exact || math.Abs(s.Uncounted-45) > 0.5 {
		t.Fatalf("v18: %+v", s)
	}
	// Runs whose logins answered one non-form body worked.
	if s := m.Logins[byName(t, a, "auth_only_50u_multi_nolimit_v3_pool100")]; s == nil || s.Method != "own" || s.Uncounted != 0 {
		t.Errorf("v3_pool100: %+v", s)
	}
}
