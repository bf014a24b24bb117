package correlate

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/logcorr/logcorr/parsers"
)

// listDedup is the deduper before its index, kept as its reference: the
// millisecond's keys in a list, read whole for every record.
type listDedup struct {
	ms      int64
	started bool
	seen    []dedupSeen
}

func (d *listDedup) dup(e Event) bool {
	k := dedupKey(e)
	if !d.started || k.ms != d.ms {
		d.seen, d.ms, d.started = d.seen[:0], k.ms, true
	}
	most, mine := 0, -1
	for i := range d.seen {
		if s := &d.seen[i]; s.k == k {
			most = max(most, s.n)
			if s.file == e.FileID() {
				mine = i
			}
		}
	}
	if mine < 0 {
		d.seen = append(d.seen, dedupSeen{k: k, file: e.FileID()})
		mine = len(d.seen) - 1
	}
	d.seen[mine].n++
	return d.seen[mine].n <= most
}

// TestDeduperMatchesList: records copied into up to three files, many to
// a millisecond (past the list's size, so the index is built and used),
// are called copies exactly as the list called them.
func TestDeduperMatchesList(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	base := time.Date(2026, 11, 29, 13, 46, 14, 0, time.UTC)
	checked, indexed := 0, false
	for trial := range 60 {
		var rows []parsers.Event
		line := map[string]int64{}
		for range 1 + rng.Intn(400) {
			f := fmt.Sprintf("f%d.log", rng.Intn(3))
			line[f]++
			rows = append(rows, parsers.Event{File: f, Line: line[f], Source: "django", Kind: parsers.KindServerError, Zone: "UTC",
				Time:    base.Add(time.Duration(rng.Intn(1+trial%4)) * time.Millisecond),
				Message: fmt.Sprintf("Internal Server Error: /api/%d/", rng.Intn(1+trial*3)), ExcType: "OperationalError"})
		}
		tab := tableOf(rows)
		order := make([]int32, len(rows))
		for i := range order {
			order[i] = int32(i)
		}
		sort.Slice(order, func(i, j int) bool { return tab.less(order[i], order[j]) })
		d, ref := newDeduper(), &listDedup{}
		for _, r := range order {
			e := tab.Event(r)
			if got, want := d.dup(e), ref.dup(e); got != want {
				t.Fatalf("trial %d row %d (%s:%d %q): dup %v, want %v", trial, r, e.File(), e.Line(), e.Message(), got, want)
			}
			indexed = indexed || d.at != nil
			checked++
		}
	}
	if !indexed {
		t.Fatal("no millisecond held enough keys to be indexed: the test reads the list only")
	}
	t.Logf("%d records agree", checked)
}
