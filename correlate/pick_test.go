package correlate

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/logcorr/logcorr/parsers"
)

// scanPick is the search pickIndex replaces, kept as its reference: every
// candidate of the window is read, the unused one passing ok with the
// lowest (rank, cost) is taken, ties going to the earliest.
func scanPick(p pool, lo, hi time.Time, ok func(Event) bool, cost func(Event) float64) (Event, bool) {
	var best *candidate
	var bestCost float64
	l, h := ceilMicro(lo), floorMicro(hi)
	for _, c := range p {
		if c.us < l || c.us > h || c.used || (ok != nil && !ok(c.e)) {
			continue
		}
		k := cost(c.e)
		if best == nil || c.rank < best.rank || (c.rank == best.rank && (k < bestCost || (k == bestCost && c.e.t.less(c.e.row, best.e.row)))) {
			best, bestCost = c, k
		}
	}
	if best == nil {
		return Event{}, false
	}
	best.take()
	return best.e, true
}

// TestPickMatchesScan: on random pools (times that collide to the µs,
// three files, ranks, twins, statuses and paths the filters read) and
// random sequences of picks of every kind link makes, the index takes the
// candidate the scan takes, pick after pick.
func TestPickMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	base := time.Date(2026, 11, 29, 13, 46, 0, 0, time.UTC)
	paths := []string{"/accounts/login/", "/api/x/", "", "/accounts/login/?next=/", "http://127.0.0.1:8000/api/x/"}
	statuses := []int64{0, 200, 500, 502}
	picks := 0
	for trial := range 300 {
		n := 1 + rng.Intn(120)
		var rows []parsers.Event
		line := map[string]int64{}
		for range n {
			f := fmt.Sprintf("f%d.log", rng.Intn(3))
			line[f] += 1 + int64(rng.Intn(3))
			e := parsers.Event{File: f, Line: line[f], Source: "runserver", Kind: parsers.KindRequest, Zone: "UTC",
				Time: base.Add(time.Duration(rng.Intn(40)) * 100 * time.Millisecond).Add(time.Duration(rng.Intn(3)) * time.Microsecond),
				Path: paths[rng.Intn(len(paths))]}
			if s := statuses[rng.Intn(len(statuses))]; s != 0 {
				e.Status = &s
			}
			rows = append(rows, e)
		}
		tab := tableOf(rows)
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		sort.Slice(order, func(i, j int) bool { return tab.less(order[i], order[j]) })
		// Two pools of the same candidates: one for the scan, one indexed.
		mk := func() pool {
			var p pool
			for _, r := range order {
				p = append(p, &candidate{e: tab.Event(r), us: tab.tim[r], rank: int(r*7+int32(trial)) % 3})
			}
			for i := 0; i+1 < len(p); i += 5 { // twins: neighbours in other files
				if a, b := p[i], p[i+1]; a.e.FileID() != b.e.FileID() {
					a.twins, b.twins = append(a.twins, b), append(b.twins, a)
				}
			}
			return p
		}
		ref, got := mk(), mk()
		idx := map[string]*pickIndex{
			"path":   newPickIndex(got, func(c *candidate) string { return reqPath(c.e.Path()) }),
			"file":   newPickIndex(got, func(c *candidate) string { return fileKey(c.e) }),
			"auth":   newPickIndex(got, authKey),
			"locust": newPickIndex(got, locustKey),
			"one":    newPickIndex(got, func(*candidate) string { return "" }),
		}
		for q := range 40 {
			at := base.Add(time.Duration(rng.Intn(40)) * 100 * time.Millisecond)
			lo, hi := at.Add(-time.Duration(rng.Intn(2000))*time.Millisecond), at.Add(time.Duration(rng.Intn(2000))*time.Millisecond)
			status, path := statuses[rng.Intn(len(statuses))], reqPath(paths[rng.Intn(len(paths))])
			anchor := tab.Event(order[rng.Intn(n)])
			var (
				name string
				keys []string
				ok   func(Event) bool
				s    *sided
				flat func(Event) float64
			)
			switch kind := q % 5; kind {
			case 0:
				name, keys, ok, s = "path", []string{path}, func(e Event) bool { return reqPath(e.Path()) == path }, nearSided(at)
			case 1:
				name, keys, ok = "file", []string{fileKey(anchor)}, func(e Event) bool { return e.FileID() == anchor.FileID() && e.Line() < anchor.Line() }
				flat = func(e Event) float64 { return float64(anchor.Line() - e.Line()) }
			case 2:
				name, keys, ok, s = "auth", authKeys(status, path), authAccepts(status, path), nearSided(at)
			case 3:
				name, keys, ok, s = "locust", locustKeys(status, path), locustAccepts(status, path), nearSided(at)
			case 4:
				name, s = "one", &sided{leftMax: floorMicro(at), cost: func(e Event) float64 {
					if d := at.Sub(e.Time()).Seconds(); d >= 0 {
						return d
					} else {
						return 10 - d
					}
				}}
			}
			cost := flat
			if s != nil {
				cost = s.cost
			}
			we, wok := scanPick(ref, lo, hi, ok, cost)
			ge, gok := idx[name].pick(keys, lo, hi, ok, s, flat)
			picks++
			if wok != gok || wok && we.row != ge.row {
				t.Fatalf("trial %d pick %d (%s, status %d, path %q, window %s..%s): scan took row %d (%v), index row %d (%v)",
					trial, q, name, status, path, lo.Format("05.000000"), hi.Format("05.000000"), we.row, wok, ge.row, gok)
			}
		}
	}
	t.Logf("%d picks agree", picks)
}

// A storm of identical server errors: each pick reads a few candidates,
// not the window (the scan read about 40,000 per pick here).
func BenchmarkPickStorm(b *testing.B) {
	const n = 20000
	rows := make([]parsers.Event, n)
	base := time.Date(2026, 11, 29, 13, 46, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = parsers.Event{File: "pgbouncer.log", Line: int64(i + 1), Source: "pgbouncer", Kind: parsers.KindPoolerError, Zone: "UTC",
			Time: base.Add(time.Duration(i) * 15 * time.Second / n)}
	}
	tab := tableOf(rows)
	for b.Loop() {
		var p pool
		for r := range int32(n) {
			p = append(p, &candidate{e: tab.Event(r), us: tab.tim[r]})
		}
		ix := newPickIndex(p, func(*candidate) string { return "" })
		for i := range n {
			at := base.Add(time.Duration(i) * 15 * time.Second / n)
			ix.pick(nil, at.Add(-3*time.Second), at.Add(200*time.Millisecond), nil, nearSided(at), nil)
		}
	}
}
