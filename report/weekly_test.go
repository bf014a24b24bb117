package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/rules"
)

func TestWeeklyGolden(t *testing.T) {
	a1, f1 := v18Analysis()
	a2, f2 := poolAnalysis()
	a := &correlate.Analysis{Sources: append(a1.Sources, a2.Sources...), Runs: append(a1.Runs, a2.Runs...)}
	fs := map[string][]rules.Finding{}
	for k, v := range f1 {
		fs[k] = v
	}
	for k, v := range f2 {
		fs[k] = v
	}
	for _, lang := range []string{"en", "id"} {
		var b bytes.Buffer
		if err := WriteWeekly(&b, a, fs, WeeklyOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		golden(t, "weekly_"+lang+".md", b.Bytes())
	}
}

func TestWeeklyAHSP(t *testing.T) {
	a := ahspAnalysis(t)
	var b bytes.Buffer
	if err := WriteWeekly(&b, a, nil, WeeklyOptions{Lang: "id"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, h := range []string{"Ringkasan Minggu Ini:", "Perubahan Utama:", "Tes dan Validasi:", "Metrik:", "Risiko/Issue:", "Rencana Minggu Depan:"} {
		if !strings.Contains(out, "\n"+h+"\n") {
			t.Errorf("weekly report lacks the heading %q", h)
		}
	}
	for _, r := range a.Runs {
		if !strings.Contains(out, "`"+r.Name+"`") {
			t.Errorf("weekly report lacks run %s", r.Name)
		}
	}
	for _, want := range []string{
		"Result (Aggregated): 7,064 requests, 45 failures (0.64 %), median 25 ms, p95 2.1 s, p99 19 s, RPS 23.6",
		"Auth login: 100 requests, 64 failures (64.00 %)", // v19 pool100
		"Auth login: 100 requests, 72 failures (72.00 %)", // v19 pool140
		"Test parameters, `v19_100u_nolimit_pool140`: pool 100 → 140",
		FillIn,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("weekly report lacks %q", want)
		}
	}
}
