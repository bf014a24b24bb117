package correlate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// loadSeries makes a bursty per-second count series like a load test's:
// a ramp, noise, and a few error bursts, from a fixed seed.
func loadSeries(seed uint64, start int64, secs int) denseSeries {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := denseSeries{Start: start, Counts: make([]float64, secs)}
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
func shifted(ref denseSeries, off, lag int64) denseSeries {
	return denseSeries{Start: ref.Start + off + lag, Counts: append([]float64(nil), ref.Counts...)}
}

// sparse holds a dense series' non-zero seconds and its two ends (which
// bound its domain even when zero).
func (s denseSeries) sparse() Series {
	var out Series
	for i, v := range s.Counts {
		if v != 0 || i == 0 || i == len(s.Counts)-1 {
			out.Secs = append(out.Secs, s.Start+int64(i))
			out.Counts = append(out.Counts, v)
		}
	}
	return out
}

// estimate runs the sparse estimator on dense fixtures.
func estimate(target, ref denseSeries, s OffsetSearch) OffsetEstimate {
	return EstimateOffset(target.sparse(), ref.sparse(), s)
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
			est := estimate(shifted(ref, tc.off, tc.lag), ref, DefaultSearch)
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
	var b weightedSeconds
	for i, v := range tgt.Counts {
		if v != 0 {
			b.add(tgt.Start+int64(i), v)
		}
	}
	for range 2000 {
		b.add(start+7*3600-43200+int64(rng.IntN(86400)), 1)
	}
	est := EstimateOffset(b.series(), ref.sparse(), DefaultSearch)
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
	few := denseSeries{Start: start + 3600, Counts: []float64{1, 0, 0, 1}}
	flat := denseSeries{Start: start, Counts: make([]float64, 86400)}
	for i := range flat.Counts {
		flat.Counts[i] = 1 // a constant stream correlates with nothing
	}
	// Events at random seconds far from any reference activity.
	rng := rand.New(rand.NewPCG(9, 9))
	var b weightedSeconds
	for range 50 {
		b.add(start+200000+int64(rng.IntN(86400)), 1)
	}
	tests := []struct {
		name string
		tgt  Series
		ref  Series
	}{
		{"too few events", few.sparse(), ref.sparse()},
		{"empty reference", shifted(ref, 0, 0).sparse(), Series{}},
		{"constant target", flat.sparse(), ref.sparse()},
		{"unrelated target", b.series(), ref.sparse()},
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
	b := denseBuilder{}
	for k := range 6 {
		for i, v := range run.Counts {
			b.add(start+int64(k*1800+i), v)
		}
	}
	ref, _ := b.series()
	est := estimate(shifted(ref, 7*3600, 0), ref, DefaultSearch)
	if est.OK && est.OffsetS != 7*3600 {
		t.Fatalf("confidently wrong: %+v", est)
	}
	if est.OK && est.Confidence > 0.5 {
		t.Errorf("confidence %.3f despite a runner-up at %s scoring %.2f", est.Confidence, offsetZone(est.RunnerUpOffsetS), est.RunnerUp)
	}
}

// The sparse estimator agrees with the dense one it replaced on every
// field, to the last bit, over targets shifted on and off the grid, noisy,
// partly overlapping, with background far away, or unrelated: sparse
// series change the cost, not one clock decision.
func TestEstimateOffsetMatchesDense(t *testing.T) {
	const start = 1768102947
	rng := rand.New(rand.NewPCG(21, 22))
	lifecycle := DefaultSearch
	lifecycle.MinEvents = 2
	outcome := map[bool]int{}
	for i := range 200 {
		ref := loadSeries(uint64(i), start+int64(rng.IntN(86400)), 30+rng.IntN(900))
		off := int64(rng.IntN(105))*900 - 12*3600
		if i%5 == 0 {
			off += int64(rng.IntN(900)) // off the grid
		}
		tgt := shifted(ref, off, int64(rng.IntN(15))-7)
		switch i % 4 {
		case 1: // drop events, add a background all day
			b := denseBuilder{}
			for k, v := range tgt.Counts {
				if v != 0 && rng.IntN(3) != 0 {
					b.add(tgt.Start+int64(k), v)
				}
			}
			for range rng.IntN(300) {
				b.add(tgt.Start-43200+int64(rng.IntN(86400)), 1)
			}
			tgt, _ = b.series()
		case 2: // only part of the run
			n := len(tgt.Counts)
			a := rng.IntN(n)
			tgt = denseSeries{Start: tgt.Start + int64(a), Counts: tgt.Counts[a : a+1+rng.IntN(n-a)]}
		case 3: // unrelated events
			b := denseBuilder{}
			for range 5 + rng.IntN(100) {
				b.add(start+int64(rng.IntN(3*86400)), float64(1+rng.IntN(3)))
			}
			tgt, _ = b.series()
		}
		for _, s := range []OffsetSearch{DefaultSearch, lifecycle} {
			want := denseEstimateOffset(tgt, ref, s)
			got := EstimateOffset(tgt.sparse(), ref.sparse(), s)
			if got != want {
				t.Fatalf("case %d (offset %d): sparse %+v\n dense %+v", i, off, got, want)
			}
			outcome[got.OK]++
		}
	}
	// Both outcomes are exercised, or the comparison proves little.
	if outcome[true] < 60 || outcome[false] < 60 {
		t.Errorf("outcomes %v: the cases do not cover both", outcome)
	}
	t.Logf("estimated %d, unknown %d", outcome[true], outcome[false])
}

func TestCountSeconds(t *testing.T) {
	tests := []struct {
		name      string
		ts        []int64
		perSecond int64
		mark      bool
		secs      []int64
		counts    []float64
	}{
		{"seconds", []int64{10, 10, 11, 15, 15, 15}, 1, false, []int64{10, 11, 15}, []float64{2, 1, 3}},
		{"marked", []int64{10, 10, 11, 15, 15, 15}, 1, true, []int64{10, 11, 15}, []float64{1, 1, 1}},
		{"microseconds floor", []int64{-1, 0, 999_999, 1_000_000, 2_500_000}, 1e6, false, []int64{-1, 0, 1, 2}, []float64{1, 2, 1, 1}},
		{"unsorted", []int64{5, 3, 5, 4}, 1, false, []int64{3, 4, 5}, []float64{1, 1, 2}},
		{"far apart", []int64{0, 571 * 86400, 571 * 86400}, 1, false, []int64{0, 571 * 86400}, []float64{1, 2}},
		{"empty", nil, 1, false, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]int64(nil), tc.ts...)
			var s Series
			if tc.mark {
				s = MarkSeconds(in, tc.perSecond)
			} else {
				s = CountSeconds(in, tc.perSecond)
			}
			if fmt.Sprint(s.Secs, s.Counts) != fmt.Sprint(tc.secs, tc.counts) {
				t.Errorf("got %v %v, want %v %v", s.Secs, s.Counts, tc.secs, tc.counts)
			}
			if fmt.Sprint(in) != fmt.Sprint(tc.ts) {
				t.Errorf("input changed to %v", in)
			}
		})
	}
}

// sortedSeries is a column's series the plain way, the reference for
// seriesBuilder (and CountSeconds and MarkSeconds, built on it): sort a
// copy, then count (or mark) each run of equal seconds.
func sortedSeries(secs []int64, mark bool) Series {
	var s Series
	for _, sec := range slices.Sorted(slices.Values(secs)) {
		if n := len(s.Secs); n > 0 && s.Secs[n-1] == sec {
			if !mark {
				s.Counts[n-1]++
			}
			continue
		}
		s.Secs = append(s.Secs, sec)
		s.Counts = append(s.Counts, 1)
	}
	return s
}

// A series built a second at a time is the series of the whole column,
// in time order or not.
func TestSeriesBuilderIsTheColumnsSeries(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	cases := map[string][]int64{
		"empty":       nil,
		"sorted":      {5, 5, 6, 9, 9, 9, 12},
		"one back":    {5, 6, 7, 6, 8},
		"descending":  {9, 8, 8, 7, 3},
		"negative":    {-3, -3, -1, -2, 0},
		"random runs": nil,
	}
	for i := 0; i < 500; i++ {
		cases["random runs"] = append(cases["random runs"], int64(i/7)+rnd.Int64N(3)-1)
	}
	for name, secs := range cases {
		for _, mark := range []bool{false, true} {
			b := seriesBuilder{mark: mark}
			for _, s := range secs {
				b.add(s)
			}
			want := sortedSeries(secs, mark)
			if got := CountSeconds(secs, 1); !mark && (!slices.Equal(got.Secs, want.Secs) || !slices.Equal(got.Counts, want.Counts)) {
				t.Errorf("%s: CountSeconds %v, sorted and counted %v", name, got, want)
			}
			if got := MarkSeconds(secs, 1); mark && (!slices.Equal(got.Secs, want.Secs) || !slices.Equal(got.Counts, want.Counts)) {
				t.Errorf("%s: MarkSeconds %v, sorted and marked %v", name, got, want)
			}
			if got := b.series(); !slices.Equal(got.Secs, want.Secs) || !slices.Equal(got.Counts, want.Counts) {
				t.Errorf("%s, mark %v: built %v, the column's %v", name, mark, got, want)
			}
			if b.n != len(secs) {
				t.Errorf("%s: n = %d, want %d", name, b.n, len(secs))
			}
		}
	}
}
