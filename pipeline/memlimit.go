package pipeline

import (
	"encoding/binary"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"

	"github.com/logcorr/logcorr/parsers"
)

// The GC soft memory limit (Request.MemoryLimit). Under the default GOGC
// the heap grows to twice what is live before each collection, so a run's
// peak RSS is about twice its tables. A soft limit a little above what the
// run keeps live makes the collector run sooner instead, for some CPU
// (100 MB folder, paired with 486400e: peak 546 → 302 MiB, CPU +6 %;
// limitHead 1.5 gives 355 MiB at +0 %; reports/mem.md).
//
// The limit starts from the input's size, before parsing (the floor), and
// after every collection is set to limitHead × what is live + limitBase/2
// when that is above the floor: GOGC's doubling until the heap reaches the
// floor, a tighter GOGC of about 25 above it. A run whose tables outgrow
// the estimate, or a stage after Run that holds more, is never held under a
// limit at or below its live heap, where the collector would run back to
// back. (export ran without it while its Parquet writers allocated 3.6 GB
// for bench100 with every line held; since they reuse their buffers and
// the text is read back, it runs under it: 177 MiB, +2 % CPU.)
//
// limitPerByte was 2.0 while a run held about 1.5 bytes live per input
// byte at its most (100 MB folder: 142 MiB); the tables are now about 0.6
// (message dictionaries, shared zero and constant buffers) and the whole
// run about 0.95 (90 MiB), so 1.25 keeps the floor as far above what a run
// holds as 2.0 was. At 2.0 the floor, not the heap, was the peak (bench100
// 231 MB, bench1g 2,005 MB; at 1.25: 182 MB and 1,403 MB, CPU +4 %).

// limitHead 1.25 is too tight for a run that holds much more than its
// input predicts: thousands of small runs in one folder (bench/gen
// -nights 3000 -max-records 3: 102 MB, 290 MB live) spent 60 % of their
// CPU collecting (127 collections, 12.4 s; 5.3 s without the limit), as
// the runtime's own memory above the heap (free spans, metadata, ~70 MB
// there) left the heap's goal barely above what was live. So the head
// grows with the share of CPU the collector has taken (headFor): up to
// 10 % it is limitHead, and it reaches maxHead at 22.5 %.
const (
	limitBase    = 48 << 20 // the runtime, rule set, templates: what a seed-sized run holds
	limitPerByte = 1.25     // the limit starts at limitBase + limitPerByte × input bytes
	limitHead    = 1.25     // and follows limitHead × the live heap + limitBase/2 above that
	maxHead      = 2.5      // the head when the collector takes 22.5 % of the CPU or more
	quietGC      = 0.10     // the collector's CPU share up to which the head is limitHead
	// smallInput: below it the collector runs only at the limit (no
	// GOGC): a run allocates about 12× its input, so the run fits.
	smallInput = 4 << 20
)

// memLimit is the soft limit a run set; its zero value sets none.
type memLimit struct {
	on    bool
	mu    sync.Mutex // raise is called from the parsing goroutines and after collections
	limit int64
	floor int64            // the first limit, from the input's size
	reads []metrics.Sample // the live heap, the collector's CPU, user CPU
	done  bool             // stop: collections no longer raise it
}

// gcTick is garbage as soon as it is made: its finalizer runs after the
// next collection, raises the limit and makes the next tick. (Larger than
// the tiny allocator's 16 bytes, so it is freed alone.)
type gcTick struct {
	m *memLimit
	_ [3]uintptr
}

func (m *memLimit) arm() { runtime.SetFinalizer(&gcTick{m: m}, afterGC) }

func afterGC(t *gcTick) {
	m := t.m
	m.mu.Lock()
	done := m.done
	m.mu.Unlock()
	if !done {
		m.raise()
		m.arm()
	}
}

// stop ends the raising after collections (the limit stays as it is).
func (m *memLimit) stop() {
	m.mu.Lock()
	m.done = true
	m.mu.Unlock()
}

// startMemLimit sets the limit for a run over input bytes, unless on is
// false or the user set GOMEMLIMIT (theirs wins, as is); under smallInput
// it also turns GOGC's proportional collection off, unless the user set
// GOGC.
func startMemLimit(on bool, input int64) *memLimit {
	if !on || os.Getenv("GOMEMLIMIT") != "" {
		return &memLimit{}
	}
	m := &memLimit{on: true, reads: []metrics.Sample{{Name: "/gc/heap/live:bytes"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/user:cpu-seconds"}}}
	m.floor = limitBase + int64(math.Min(limitPerByte*float64(input), math.MaxInt64/4))
	m.set(m.floor)
	if input < smallInput && os.Getenv("GOGC") == "" {
		// Everything a seed-sized run allocates fits under the limit:
		// collecting on the way (GOGC's 4 MB first goal means five or
		// six cycles in a 1.6 MB run) would only cost time.
		debug.SetGCPercent(-1)
	}
	m.arm()
	return m
}

func (m *memLimit) set(n int64) {
	m.limit = n
	debug.SetMemoryLimit(n)
}

// raise sets the limit to headFor(the collector's CPU share) × the heap the
// last collection found live + limitBase/2, never below the first limit
// (the input's estimate): it follows what a stage holds up and, once the
// stage's temporaries are gone, down again. It costs one runtime/metrics
// read.
func (m *memLimit) raise() {
	if !m.on {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	metrics.Read(m.reads)
	if m.reads[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	share := 0.0
	if m.reads[1].Value.Kind() == metrics.KindFloat64 && m.reads[2].Value.Kind() == metrics.KindFloat64 {
		if gc, user := m.reads[1].Value.Float64(), m.reads[2].Value.Float64(); gc+user > 0 {
			share = gc / (gc + user)
		}
	}
	want := max(m.floor, int64(headFor(share)*float64(m.reads[0].Value.Uint64()))+limitBase/2)
	if want != m.limit {
		m.set(want)
	}
}

// headFor is the head over the live heap for a run whose collector has
// taken share of its CPU so far: limitHead up to quietGC, then growing by
// 0.1 per point to maxHead.
func headFor(share float64) float64 {
	if share <= quietGC {
		return limitHead
	}
	return min(maxHead, limitHead+(share-quietGC)*10)
}

// inputBytes is what the files will decode to, for the first limit: a
// file's size, or for a .gz file the size its gzip trailer records (ISIZE:
// the last member's, modulo 4 GiB, so possibly less; the limit is raised
// as the heap grows anyway). A 10x-compressed folder would otherwise start
// under a tenth of the limit its tables need, and collect back to back.
func inputBytes(targets []parsers.Target) int64 {
	var n int64
	for _, t := range targets {
		n += decodedSize(t.Path)
	}
	return n
}

func decodedSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	size := st.Size()
	if !strings.HasSuffix(strings.ToLower(path), ".gz") || size < 18 {
		return size
	}
	f, err := os.Open(path)
	if err != nil {
		return size
	}
	defer f.Close()
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], size-4); err != nil {
		return size
	}
	return max(size, min(int64(binary.LittleEndian.Uint32(tail[:])), parsers.MaxDecompressedBytes))
}
