package pipeline

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

func TestMemLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)

	t.Setenv("GOMEMLIMIT", "")
	if m := startMemLimit(false, 100<<20); m.on || debug.SetMemoryLimit(-1) != prev {
		t.Fatalf("off: the limit changed to %d", debug.SetMemoryLimit(-1))
	}
	m := startMemLimit(true, 100<<20)
	if want := int64(limitBase + limitPerByte*(100<<20)); debug.SetMemoryLimit(-1) != want {
		t.Fatalf("limit = %d, want %d for 100 MiB of input", debug.SetMemoryLimit(-1), want)
	}
	// A live heap above what the input predicted raises the limit above
	// it after the next collection.
	keep := make([]byte, 256<<20)
	want := int64(limitHead*(256<<20) + limitBase/2)
	for i := 0; i < 100 && debug.SetMemoryLimit(-1) < want; i++ {
		runtime.GC() // the tick's finalizer runs after it, on its own goroutine
		runtime.Gosched()
	}
	m.stop()
	if got := debug.SetMemoryLimit(-1); got < want {
		t.Errorf("after collections: limit %d, want ≥ %d for the 256 MiB held", got, want)
	}
	runtime.KeepAlive(keep)
	// Once that heap is garbage the limit comes down again, never below
	// the first limit.
	keep = nil
	runtime.GC()
	m.mu.Lock()
	m.floor = 40 << 20
	m.mu.Unlock()
	m.raise()
	if got := debug.SetMemoryLimit(-1); got >= want || got < 40<<20 {
		t.Errorf("after the heap was freed: limit %d, want below %d and ≥ the floor %d", got, want, 40<<20)
	}

	// A small input turns proportional collection off (the run fits
	// under the limit); the user's GOGC wins.
	prevPct := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prevPct)
	t.Setenv("GOGC", "")
	startMemLimit(true, 1<<20).stop()
	if got := debug.SetGCPercent(100); got != -1 {
		t.Errorf("1 MiB input: GOGC %d, want off", got)
	}
	startMemLimit(true, 100<<20).stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("100 MiB input: GOGC %d, want left at 100", got)
	}
	t.Setenv("GOGC", "100")
	startMemLimit(true, 1<<20).stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GOGC %d, want the user's 100", got)
	}

	// The user's GOMEMLIMIT wins.
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB")
	if m := startMemLimit(true, 100<<20); m.on || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: limit changed to %d", debug.SetMemoryLimit(-1))
	}
}

func TestInputBytesReadsGzipSizes(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.log")
	text := bytes.Repeat([]byte("2026-01-11 10:00:00 same line, compressed well\n"), 10000)
	if err := os.WriteFile(plain, text, 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(text)
	w.Close()
	packed := filepath.Join(dir, "b.log.gz")
	if err := os.WriteFile(packed, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if gz.Len()*10 > len(text) {
		t.Fatalf("the fixture compresses to %d of %d bytes: not a compressed case", gz.Len(), len(text))
	}
	got := inputBytes([]parsers.Target{{Path: plain}, {Path: packed}, {Path: filepath.Join(dir, "gone")}})
	if want := int64(2 * len(text)); got != want {
		t.Errorf("inputBytes = %d, want %d (the .gz counted at its decoded size)", got, want)
	}
}

// The head over the live heap is limitHead while collecting is cheap and
// grows with the collector's share of the CPU, to maxHead: a run that
// holds far more than its input predicted must not collect back to back.
func TestHeadForGCShare(t *testing.T) {
	for _, c := range []struct{ share, want float64 }{
		{0, limitHead}, {0.05, limitHead}, {quietGC, limitHead},
		{0.15, limitHead + 0.5}, {0.20, limitHead + 1.0},
		{0.225, maxHead}, {0.6, maxHead}, {1, maxHead},
	} {
		if got := headFor(c.share); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("headFor(%v) = %v, want %v", c.share, got, c.want)
		}
	}
	for s := 0.0; s < 1; s += 0.01 {
		if headFor(s+0.01) < headFor(s) {
			t.Fatalf("headFor falls between %v and %v", s, s+0.01)
		}
	}
}
