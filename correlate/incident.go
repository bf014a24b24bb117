package correlate

import (
	"math"
	"sort"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// Incident detection: per bucket, each source's error count (Locust
// failures from the history totals, 5xx request lines, server errors,
// pooler errors, login failures...). The run's error level in a bucket is
// the largest of them — they see the same failures from different sides,
// so adding them would count one failure several times. A bucket departs
// from the baseline when it exceeds median + 3·MAD (scaled); departures
// closer than incidentGap merge; an incident needs minIncidentErrors.
const (
	incidentGap       = 15 * time.Second
	minIncidentErrors = 3
	madK              = 3 * 1.4826
)

func findIncidents(r *Run) []Incident {
	tl := r.Timeline
	n := len(tl)
	if n == 0 {
		return nil
	}
	w := tl[0].Width
	start := tl[0].Start
	per := map[string][]float64{}
	first := map[string][]time.Time{} // per source, first error time per bucket
	add := func(src string, t time.Time, v float64) {
		i := bucketIndex(t, start, w, n)
		if i < 0 || v <= 0 {
			return
		}
		if per[src] == nil {
			per[src] = make([]float64, n)
			first[src] = make([]time.Time, n)
		}
		per[src][i] += v
		if first[src][i].IsZero() || t.Before(first[src][i]) {
			first[src][i] = t
		}
	}
	// Sources with whole-second stamps (history epochs, runserver request
	// lines) are truncated: what they report happened within that second,
	// so for the order of sources they count at its end.
	const endOfSecond = time.Second - time.Millisecond
	for i := 1; i < len(r.History); i++ {
		add("locust", r.History[i].Time.Add(endOfSecond), float64(r.History[i].TotalFailures-r.History[i-1].TotalFailures))
	}
	for _, e := range r.Events.All() {
		if e.IsError() {
			t := e.Time()
			if e.Kind() == schema.KindRequest && t.Nanosecond() == 0 {
				t = t.Add(endOfSecond)
			}
			add(e.Source().String(), t, 1)
		}
	}
	total := make([]float64, n)
	for _, s := range per {
		for i, v := range s {
			total[i] = math.Max(total[i], v)
		}
	}
	med := median(total)
	dev := make([]float64, n)
	for i, v := range total {
		dev[i] = math.Abs(v - med)
	}
	thr := med + madK*median(dev)
	gap := int(incidentGap / w)
	if gap < 1 {
		gap = 1
	}
	srcNames := make([]string, 0, len(per))
	for s := range per {
		srcNames = append(srcNames, s)
	}
	sort.Strings(srcNames)

	var out []Incident
	for i := 0; i < n; {
		if total[i] <= thr {
			i++
			continue
		}
		j, last := i, i
		for j < n && j-last <= gap {
			if total[j] > thr {
				last = j
			}
			j++
		}
		inc := Incident{Start: tl[i].Start, End: tl[last].Start.Add(w), Baseline: med / w.Seconds()}
		for k := i; k <= last; k++ {
			inc.Errors += int64(total[k])
			inc.PeakPerS = math.Max(inc.PeakPerS, total[k]/w.Seconds())
		}
		if inc.Errors >= minIncidentErrors {
			inc.OnsetUsers, inc.OnsetRPS = loadAt(r, inc.Start.Add(w))
			type fs struct {
				name string
				t    time.Time
			}
			var firsts []fs
			for _, s := range srcNames {
				for k := max(0, i-gap); k <= last; k++ {
					if !first[s][k].IsZero() {
						firsts = append(firsts, fs{s, first[s][k]})
						break
					}
				}
			}
			sort.SliceStable(firsts, func(a, b int) bool {
				if !firsts[a].t.Equal(firsts[b].t) {
					return firsts[a].t.Before(firsts[b].t)
				}
				return firsts[a].name < firsts[b].name
			})
			for _, f := range firsts {
				inc.FirstSources = append(inc.FirstSources, f.name)
			}
			out = append(out, inc)
		}
		i = last + 1
	}
	return out
}

// loadAt is the user count and RPS of the last history row at or before t
// (the first row when t precedes them all).
func loadAt(r *Run, t time.Time) (int64, float64) {
	if len(r.History) == 0 {
		return 0, 0
	}
	k := sort.Search(len(r.History), func(i int) bool { return r.History[i].Time.After(t) }) - 1
	if k < 0 {
		k = 0
	}
	return r.History[k].Users, deref(r.History[k].RPS)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
