package rules

import (
	"math/rand/v2"
	"slices"
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

// widestWindow is the window a scan from every start finds: the first
// widest, on sorted maxima with ties, clusters and gaps.
func TestWidestWindowIsTheScanFromEveryStart(t *testing.T) {
	scan := func(m []float64, tol float64) (int, int) {
		bi, bj := 0, -1
		for i := range m {
			j := i
			for j+1 < len(m) && m[j+1] <= m[i]*(1+tol) {
				j++
			}
			if j-i > bj-bi {
				bi, bj = i, j
			}
		}
		return bi, bj
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 2000 {
		n := rng.IntN(40)
		m := make([]float64, n)
		for i := range m {
			m[i] = float64(1000 + rng.IntN(4)*500 + rng.IntN(60)) // clusters near 1000, 1500, 2000, 2500 ms
		}
		slices.Sort(m)
		tol := []float64{0, 0.02, 0.05, 0.5}[trial%4]
		wi, wj := scan(m, tol)
		if gi, gj := widestWindow(m, tol); gi != wi || gj != wj {
			t.Fatalf("maxima %v, tol %v: window %d..%d, the scan finds %d..%d", m, tol, gi, gj, wi, wj)
		}
	}
}
