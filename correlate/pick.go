package correlate

import (
	"slices"
	"sort"
	"time"
)

// The search link makes for each server error, in a time window of each
// pool: the unused candidate of the lowest rank, then the lowest cost, then
// the earliest. Scanning the whole window for it made a storm quadratic:
// 20,000 5xx request lines in 15 seconds (with their tracebacks and
// PgBouncer errors) took 3.3 s, 200,000 more than five minutes, every pick
// walking thousands of used candidates and ones it could never take.
//
// A pickIndex answers the same question without the walk. Its candidates
// are split into buckets by a key that the pick's filter depends on
// (the request path, the status), so a pick reads only the buckets whose
// candidates it could accept; each bucket into lanes by rank, searched from
// the lowest; and a lane skips the candidates already used (each skipped
// once, not at every pick). The costs link uses grow with the distance from
// a pivot on each side of it (the centre of the request line's second, the
// server error's time), so the best of a lane is the nearest acceptable
// candidate on one side or the other: two short walks from the pivot.
// The answer is the scan's, candidate for candidate (TestPickMatchesScan);
// the storms take 0.27 s and 3.1 s (94 MB) end to end.

// pickIndex holds one pool's candidates by bucket and rank.
type pickIndex struct {
	buckets map[string][]*lane // each bucket's lanes by rank, lowest first
	keys    []string           // the buckets' keys in the order met: what "every bucket" reads
}

// lane is one bucket's candidates of one rank, in the pool's (time, file,
// line) order.
type lane struct {
	rank int
	c    []*candidate
	// next[i] ≥ i and prev[i] ≤ i: every candidate strictly between i and
	// them is used (shortcuts, kept short as they are followed).
	next, prev []int32
}

// newPickIndex indexes the candidates of p (in pool order) under key.
// Each candidate's ord is its place in p.
func newPickIndex(p pool, key func(*candidate) string) *pickIndex {
	ix := &pickIndex{buckets: map[string][]*lane{}}
	for i, c := range p {
		c.ord = i
		k := key(c)
		lanes, seen := ix.buckets[k]
		if !seen {
			ix.keys = append(ix.keys, k)
		}
		at := sort.Search(len(lanes), func(i int) bool { return lanes[i].rank >= c.rank })
		if at == len(lanes) || lanes[at].rank != c.rank {
			lanes = slices.Insert(lanes, at, &lane{rank: c.rank})
			ix.buckets[k] = lanes
		}
		lanes[at].c = append(lanes[at].c, c)
	}
	for _, lanes := range ix.buckets {
		for _, l := range lanes {
			l.next, l.prev = make([]int32, len(l.c)), make([]int32, len(l.c))
			for i := range l.c {
				l.next[i], l.prev[i] = int32(i), int32(i)
			}
		}
	}
	return ix
}

// right is the first unused candidate at or after i (len when none).
func (l *lane) right(i int) int {
	j := i
	for j < len(l.c) && l.c[j].used {
		if n := int(l.next[j]); n > j {
			j = n
		} else {
			j++
		}
	}
	for k := i; k < j && k < len(l.c); {
		n := int(l.next[k])
		l.next[k] = int32(j)
		if n > k {
			k = n
		} else {
			k++
		}
	}
	return j
}

// left is the last unused candidate at or before i (-1 when none).
func (l *lane) left(i int) int {
	j := i
	for j >= 0 && l.c[j].used {
		if p := int(l.prev[j]); p < j {
			j = p
		} else {
			j--
		}
	}
	for k := i; k > j && k >= 0; {
		p := int(l.prev[k])
		l.prev[k] = int32(j)
		if p < k {
			k = p
		} else {
			k--
		}
	}
	return j
}

// sided is a cost that does not decrease away from a pivot on either side:
// candidates at or before leftMax µs are one side, the later ones the
// other.
type sided struct {
	leftMax int64
	cost    func(Event) float64
}

// best is the lane's lowest-cost acceptable unused candidate in [lo, hi]
// µs (ties: the earliest), nil when none.
func (l *lane) best(lo, hi int64, ok func(Event) bool, s sided) *candidate {
	accept := func(c *candidate) bool { return ok == nil || ok(c.e) }
	// The later side: its first acceptable candidate is its nearest, and
	// of several at that µs the first is the earliest.
	var r *candidate
	start := sort.Search(len(l.c), func(i int) bool { return l.c[i].us >= max(lo, s.leftMax+1) })
	for j := l.right(start); j < len(l.c) && l.c[j].us <= hi; j = l.right(j + 1) {
		if accept(l.c[j]) {
			r = l.c[j]
			break
		}
	}
	// The earlier side, walked back from the pivot: the nearest µs holding
	// an acceptable candidate, and its earliest one.
	var left *candidate
	end := sort.Search(len(l.c), func(i int) bool { return l.c[i].us > min(hi, s.leftMax) }) - 1
	for j := l.left(end); j >= 0 && l.c[j].us >= lo; j = l.left(j - 1) {
		if left != nil && l.c[j].us != left.us {
			break
		}
		if accept(l.c[j]) {
			left = l.c[j]
		}
	}
	switch {
	case left == nil:
		return r
	case r == nil:
		return left
	}
	if s.cost(r.e) < s.cost(left.e) {
		return r
	}
	return left // equal costs: the earlier
}

// scan is the lane's lowest-cost acceptable unused candidate in [lo, hi]
// µs for a cost with no pivot (ties: the earliest).
func (l *lane) scan(lo, hi int64, ok func(Event) bool, cost func(Event) float64) (*candidate, float64) {
	var best *candidate
	var bestCost float64
	start := sort.Search(len(l.c), func(i int) bool { return l.c[i].us >= lo })
	for j := l.right(start); j < len(l.c) && l.c[j].us <= hi; j = l.right(j + 1) {
		c := l.c[j]
		if ok != nil && !ok(c.e) {
			continue
		}
		if k := cost(c.e); best == nil || k < bestCost {
			best, bestCost = c, k
		}
	}
	return best, bestCost
}

// pick takes, from the buckets named (all of them when keys is nil), the
// unused candidate in [lo, hi] that passes ok and has the lowest (rank,
// cost), ties going to the earliest in the pool; the cost is s's, or,
// with s nil, flat's (a cost with no pivot: each lane is scanned). The
// candidate and its twins are marked used.
func (ix *pickIndex) pick(keys []string, lo, hi time.Time, ok func(Event) bool, s *sided, flat func(Event) float64) (Event, bool) {
	l, h := ceilMicro(lo), floorMicro(hi)
	if keys == nil {
		keys = ix.keys
	}
	var best *candidate
	var bestCost float64
	for _, k := range keys {
		for _, ln := range ix.buckets[k] {
			if best != nil && ln.rank > best.rank {
				break
			}
			var c *candidate
			var cost float64
			if s != nil {
				if c = ln.best(l, h, ok, *s); c != nil {
					cost = s.cost(c.e)
				}
			} else {
				c, cost = ln.scan(l, h, ok, flat)
			}
			if c == nil {
				continue
			}
			if best == nil || c.rank < best.rank || c.rank == best.rank && (cost < bestCost || cost == bestCost && c.ord < best.ord) {
				best, bestCost = c, cost
			}
			break // a lane of a higher rank cannot beat it
		}
	}
	if best == nil {
		return Event{}, false
	}
	best.take()
	return best.e, true
}

// take marks the candidate and its twins used.
func (c *candidate) take() {
	c.used = true
	for _, t := range c.twins {
		t.used = true
	}
}
