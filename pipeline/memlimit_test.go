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
	// it; a smaller one never lowers it.
	keep := make([]byte, 64<<20)
	runtime.GC()
	m.limit = 1
	m.raise()
	if got, want := debug.SetMemoryLimit(-1), int64(limitHead*(64<<20)+limitBase/2); got < want || got != m.limit {
		t.Errorf("after raise: limit %d, want ≥ %d for the 64 MiB held (recorded %d)", got, want, m.limit)
	}
	before := m.limit
	m.raise()
	if m.limit != before {
		t.Errorf("a second raise moved the limit %d → %d", before, m.limit)
	}
	runtime.KeepAlive(keep)

	// A small input turns proportional collection off (the run fits
	// under the limit); the user's GOGC wins.
	prevPct := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prevPct)
	t.Setenv("GOGC", "")
	startMemLimit(true, 1<<20)
	if got := debug.SetGCPercent(100); got != -1 {
		t.Errorf("1 MiB input: GOGC %d, want off", got)
	}
	startMemLimit(true, 100<<20)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("100 MiB input: GOGC %d, want left at 100", got)
	}
	t.Setenv("GOGC", "100")
	startMemLimit(true, 1<<20)
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
