package pipeline

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The GC soft memory limit (Request.MemoryLimit). Under the default GOGC
// the heap grows to twice what is live before each collection, so a run's
// peak RSS is about twice its tables. A soft limit a little above what the
// run keeps live makes the collector run sooner instead, for some CPU
// (100 MB folder: peak 474 → 291 MiB, CPU +15 %; reports/mem.md).
//
// The limit starts from the input's size, before parsing, and is raised
// as each file is parsed and each stage ends whenever what is live has
// come near it: a run whose tables outgrow the estimate is never held
// under a limit at or below its live heap, where the collector would run
// back to back.

const (
	limitBase    = 48 << 20 // the runtime, rule set, templates: what a seed-sized run holds
	limitPerByte = 2.0      // the limit starts at limitBase + limitPerByte × input bytes
	limitHead    = 1.25     // and stays ≥ limitHead × the live heap + limitBase/2
	// smallInput: below it the collector runs only at the limit (no
	// GOGC): a run allocates about 12× its input, so the run fits.
	smallInput = 4 << 20
)

// memLimit is the soft limit a run set; its zero value sets none.
type memLimit struct {
	on    bool
	mu    sync.Mutex // raise is called from the parsing goroutines
	limit int64
	live  []metrics.Sample
}

// startMemLimit sets the limit for a run over input bytes, unless on is
// false or the user set GOMEMLIMIT (theirs wins, as is); under smallInput
// it also turns GOGC's proportional collection off, unless the user set
// GOGC.
func startMemLimit(on bool, input int64) *memLimit {
	if !on || os.Getenv("GOMEMLIMIT") != "" {
		return &memLimit{}
	}
	m := &memLimit{on: true, live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	m.set(limitBase + int64(math.Min(limitPerByte*float64(input), math.MaxInt64/4)))
	if input < smallInput && os.Getenv("GOGC") == "" {
		// Everything a seed-sized run allocates fits under the limit:
		// collecting on the way (GOGC's 4 MB first goal means five or
		// six cycles in a 1.6 MB run) would only cost time.
		debug.SetGCPercent(-1)
	}
	return m
}

func (m *memLimit) set(n int64) {
	m.limit = n
	debug.SetMemoryLimit(n)
}

// raise lifts the limit when the heap the last collection found live has
// come near it. It costs one runtime/metrics read.
func (m *memLimit) raise() {
	if !m.on {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	metrics.Read(m.live)
	if m.live[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if want := int64(limitHead*float64(m.live[0].Value.Uint64())) + limitBase/2; want > m.limit {
		m.set(want)
	}
}
