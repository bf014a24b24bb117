package perf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

var sink [][]byte

func TestRecorderStages(t *testing.T) {
	r := New()
	r.Start(Parse)
	for i := 0; i < 10; i++ {
		sink = append(sink, make([]byte, 1<<20)) // 10 MiB allocated in the stage
	}
	r.Start(Correlate) // ends parse
	spin := time.Now()
	for time.Since(spin) < 20*time.Millisecond {
	}
	r.End()
	r.End() // a second End is a no-op
	sink = nil

	s := r.Stats()
	if len(s.Stages) != 2 || s.Stages[0].Name != Parse || s.Stages[1].Name != Correlate {
		t.Fatalf("stages = %+v, want parse then correlate", s.Stages)
	}
	if got := s.Stages[0].AllocBytes; got < 10<<20 {
		t.Errorf("parse allocated %d bytes, want ≥ 10 MiB", got)
	}
	if s.Stages[1].AllocBytes > 1<<20 {
		t.Errorf("correlate allocated %d bytes, want what parse allocated not counted again", s.Stages[1].AllocBytes)
	}
	if s.Stages[1].WallMS < 20 {
		t.Errorf("correlate wall %.1f ms, want ≥ the 20 ms it spun", s.Stages[1].WallMS)
	}
	if s.Stages[1].CPUMS <= 0 && CPUTime() > 0 {
		t.Errorf("correlate CPU %.1f ms, want > 0 for a spinning stage", s.Stages[1].CPUMS)
	}
	if want := s.Stages[0].WallMS + s.Stages[1].WallMS; s.WallMS != want {
		t.Errorf("total wall %.3f, want the stages' sum %.3f", s.WallMS, want)
	}
	if PeakRSS() > 0 && s.PeakRSSBytes < 10<<20 {
		t.Errorf("peak RSS %d, want at least the 10 MiB held", s.PeakRSSBytes)
	}
}

func TestRecorderFormats(t *testing.T) {
	r := New()
	r.Start(Parse)
	r.File("pgbouncer", 2_000_000, 10, 10, 100*time.Millisecond)
	r.File("django", 3_000_000, 20, 2, time.Second)
	r.File("pgbouncer", 2_000_000, 30, 30, 100*time.Millisecond)
	r.End()
	s := r.Stats()
	want := []Format{
		{Format: "pgbouncer", Files: 2, Bytes: 4_000_000, Lines: 40, Records: 40, WallMS: 200, MBPerS: 20},
		{Format: "django", Files: 1, Bytes: 3_000_000, Lines: 20, Records: 2, WallMS: 1000, MBPerS: 3},
	}
	if len(s.Formats) != len(want) {
		t.Fatalf("formats = %+v", s.Formats)
	}
	for i := range want {
		if s.Formats[i] != want[i] {
			t.Errorf("formats[%d] = %+v, want %+v", i, s.Formats[i], want[i])
		}
	}
	if s.Input != (Input{Files: 3, Bytes: 7_000_000, Lines: 60, Records: 42}) {
		t.Errorf("input = %+v", s.Input)
	}
	if p := s.Stages[0]; p.Bytes != 7_000_000 || p.Lines != 60 || p.MBPerS <= 0 {
		t.Errorf("parse stage = %+v, want the input's bytes and lines and a rate", p)
	}
}

func TestNilRecorder(t *testing.T) {
	var r *Recorder
	r.Start(Parse)
	r.File("x", 1, 1, 1, 0)
	r.End()
	if r.Stats() != nil {
		t.Error("a nil recorder has stats")
	}
}

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1536, "1.5 KiB"}, {20 << 20, "20.0 MiB"}, {3 << 30, "3.0 GiB"}} {
		if got := Bytes(tc.n); got != tc.want {
			t.Errorf("Bytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	s := &Stats{GOMAXPROCS: 2, Input: Input{Files: 1, Bytes: 1 << 20, Lines: 10, Records: 5},
		Stages:       []Stage{{Name: Parse, WallMS: 10, CPUMS: 12, AllocBytes: 2 << 20, GCCycles: 1, MBPerS: 104.9}},
		Formats:      []Format{{Format: "locust_console", Files: 1, Bytes: 1 << 20, Lines: 10, Records: 5, WallMS: 10, MBPerS: 104.9}},
		PeakRSSBytes: 4 << 20}
	var b bytes.Buffer
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"parse ", "104.9", "locust_console", "2.0 MiB", "peak RSS 4.0 MiB (4.00x the input), GOMAXPROCS 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
