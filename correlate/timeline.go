package correlate

import (
	"strconv"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// MaxBuckets is about how many steps a timeline has at most.
const MaxBuckets = 600

// bucketWidth is 1 s for runs up to 10 minutes, then the smallest round
// step that keeps the timeline within MaxBuckets.
func bucketWidth(d time.Duration) time.Duration {
	for _, s := range []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400} {
		w := time.Duration(s) * time.Second
		if d/w <= MaxBuckets {
			return w
		}
	}
	return d/MaxBuckets + time.Second
}

// bucketIndex is the index of the bucket of n, each w wide from start,
// that holds t; -1 outside them.
func bucketIndex(t, start time.Time, w time.Duration, n int) int {
	if t.Before(start) {
		return -1
	}
	i := int(t.Sub(start) / w)
	if i >= n {
		return -1
	}
	return i
}

// buildTimeline joins the load curve and the per-bucket event counts over
// the run window (Start..End, without the slicing margin).
func buildTimeline(r *Run) []Bucket {
	if r.Start.IsZero() {
		return nil
	}
	start := r.Start.Truncate(time.Second)
	span := r.End.Sub(start) + time.Second
	w := bucketWidth(span)
	n := int((span + w - 1) / w)
	out := make([]Bucket, n)
	for i := range out {
		// Counts is made at the bucket's first event: most buckets of
		// thousands of short runs count nothing (a nil map reads as empty).
		out[i] = Bucket{Start: start.Add(time.Duration(i) * w), Width: w}
	}
	// History: the last row in each bucket; users carry forward.
	seen := make([]bool, n)
	for _, h := range r.History {
		i := bucketIndex(h.Time, start, w, n)
		if i < 0 {
			continue
		}
		b := &out[i]
		seen[i] = true
		b.Users = h.Users
		b.RPS, b.FPS = deref(h.RPS), deref(h.FPS)
		b.P50, b.P95 = h.P50, h.P95
	}
	for i := 1; i < n; i++ {
		if !seen[i] && len(r.History) > 0 && out[i].Start.Before(r.History[len(r.History)-1].Time) {
			out[i].Users = out[i-1].Users
		}
	}
	// Counts are keyed by "source/kind/status": the key's text is made
	// once per distinct (source, kind, status), not once per event.
	keys := map[statusKeyOf]string{}
	for _, e := range r.Events.All() {
		i := bucketIndex(e.Time(), start, w, n)
		if i < 0 {
			continue
		}
		sk := statusKeyOf{e.Source(), e.Kind(), e.StatusOr0(), e.HasStatus()}
		key, ok := keys[sk]
		if !ok {
			key = e.statusKey()
			keys[sk] = key
		}
		if out[i].Counts == nil {
			out[i].Counts = map[string]int64{}
		}
		out[i].Counts[key]++
		if e.Kind() == schema.KindStats && e.Source() == schema.SourcePgBouncer {
			b := &out[i]
			b.PgWaitUS = attrFloat(e, "wait_us", b.PgWaitUS)
			b.PgXactUS = attrFloat(e, "xact_us", b.PgXactUS)
			b.PgQueryUS = attrFloat(e, "query_us", b.PgQueryUS)
		}
	}
	return out
}

// statusKeyOf is what Event.statusKey is made of.
type statusKeyOf struct {
	source schema.SourceKind
	kind   schema.EventKind
	status int64
	has    bool
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func attrFloat(e Event, key string, old *float64) *float64 {
	v, ok := e.LookupAttr(key)
	if !ok {
		return old
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return old
	}
	return &f
}
