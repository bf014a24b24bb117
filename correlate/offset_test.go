package correlate

import (
	"math/rand/v2"
	"testing"
)

// loadSeries makes a bursty per-second count series like a load test's:
// a ramp, noise, and a few error bursts, from a fixed seed.
func loadSeries(seed uint64, start int64, secs int) Series {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := Series{Start: start, Counts: make([]float64, secs)}
	for i := range s.Counts {
		rate := float64(min(i, 60)) / 10 // ramp to ~6/s
		if rng.IntN(40) == 0 {
			rate += 15 // burst
		}
		s.Counts[i] = float64(rng.IntN(int(rate)+1)) + float64(rng.IntN(2))
	}
	return s
}

// shifted is ref as a naive clock at offset off with a residual lag.
func shifted(ref Series, off, lag int64) Series {
	return Series{Start: ref.Start + off + lag, Counts: append([]float64(nil), ref.Counts...)}
}

func TestEstimateOffsetKnownShifts(t *testing.T) {
	const start = 1768102947 // 2026-01-11T03:42:27Z
	ref := loadSeries(1, start, 300)
	tests := []struct {
		name     string
		off, lag int64
	}{
		{"none", 0, 0},
		{"WIB", 7 * 3600, 0},
		{"UTC+8 with lag", 8 * 3600, 2},
		{"Nepal +05:45", 5*3600 + 45*60, -3},
		{"US Pacific", -8 * 3600, 1},
		{"edge +14", 14 * 3600, 0},
		{"edge -12", -12 * 3600, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := EstimateOffset(shifted(ref, tc.off, tc.lag), ref, DefaultSearch)
			if !est.OK {
				t.Fatalf("not OK: %s", est.Reason)
			}
			if est.OffsetS != tc.off || est.LagS != tc.lag {
				t.Errorf("got offset %d lag %d, want %d lag %d (%s)", est.OffsetS, est.LagS, tc.off, tc.lag, est.Reason)
			}
			if est.Confidence < 0.5 {
				t.Errorf("confidence %.3f for a clean copy", est.Confidence)
			}
		})
	}
}

func TestEstimateOffsetNoise(t *testing.T) {
	const start = 1768102947
	ref := loadSeries(2, start, 600)
	tgt := shifted(ref, 7*3600, 0)
	// Drop a third of the events and add background lines all day.
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range tgt.Counts {
		if rng.IntN(3) == 0 {
			tgt.Counts[i] = 0
		}
	}
	b := seriesBuilder{}
	for i, v := range tgt.Counts {
		if v != 0 {
			b.add(tgt.Start+int64(i), v)
		}
	}
	for range 2000 {
		b.add(start+7*3600-43200+int64(rng.IntN(86400)), 1)
	}
	noisy, _ := b.series()
	est := EstimateOffset(noisy, ref, DefaultSearch)
	if !est.OK || est.OffsetS != 7*3600 {
		t.Fatalf("got %+v, want +07:00", est)
	}
	if est.Confidence >= 1 || est.Confidence <= 0 {
		t.Errorf("confidence %.3f should reflect the noise", est.Confidence)
	}
}

func TestEstimateOffsetUnknown(t *testing.T) {
	const start = 1768102947
	ref := loadSeries(5, start, 300)
	few := Series{Start: start + 3600, Counts: []float64{1, 0, 0, 1}}
	flat := Series{Start: start, Counts: make([]float64, 86400)}
	for i := range flat.Counts {
		flat.Counts[i] = 1 // a constant stream correlates with nothing
	}
	// Events at random seconds far from any reference activity.
	rng := rand.New(rand.NewPCG(9, 9))
	b := seriesBuilder{}
	for range 50 {
		b.add(start+200000+int64(rng.IntN(86400)), 1)
	}
	unrelated, _ := b.series()
	tests := []struct {
		name string
		tgt  Series
		ref  Series
	}{
		{"too few events", few, ref},
		{"empty reference", shifted(ref, 0, 0), Series{}},
		{"constant target", flat, ref},
		{"unrelated target", unrelated, ref},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			est := EstimateOffset(tc.tgt, tc.ref, DefaultSearch)
			if est.OK {
				t.Fatalf("estimated %s (%s), want unknown", offsetZone(est.OffsetS), est.Reason)
			}
			if est.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

func TestEstimateOffsetAmbiguousPeriodic(t *testing.T) {
	// Identical runs every 30 minutes: +07:00 and +07:30 explain the
	// target equally well except at the ends; the margin must say so
	// rather than claim certainty.
	const start = 1768102947
	run := loadSeries(7, 0, 120)
	b := seriesBuilder{}
	for k := range 6 {
		for i, v := range run.Counts {
			b.add(start+int64(k*1800+i), v)
		}
	}
	ref, _ := b.series()
	est := EstimateOffset(shifted(ref, 7*3600, 0), ref, DefaultSearch)
	if est.OK && est.OffsetS != 7*3600 {
		t.Fatalf("confidently wrong: %+v", est)
	}
	if est.OK && est.Confidence > 0.5 {
		t.Errorf("confidence %.3f despite a runner-up at %s scoring %.2f", est.Confidence, offsetZone(est.RunnerUpOffsetS), est.RunnerUp)
	}
}
