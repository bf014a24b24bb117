// Package perf measures a logcorr run: per stage its wall and CPU time,
// bytes allocated and GC cycles; per input format the bytes, lines and
// records read and the throughput; and the process's peak resident set.
//
// A Recorder costs two getrusage calls and one runtime/metrics read per
// stage, so the pipeline always records and only `analyze --stats` (or a
// test) prints it. Figures are of the whole process, not of one goroutine:
// a stage's CPU is every core's time spent while it ran.
package perf

import (
	"math"
	"runtime"
	"runtime/metrics"
	"sort"
	"time"
)

// Stage names, in pipeline order.
const (
	Discover  = "discover"
	Parse     = "parse"
	Correlate = "correlate"
	Rules     = "rules"
	Report    = "report"
)

// Stats is what a run cost. Its JSON is the `perf` block of
// logcorr.analysis/v1 (present only with --stats; see docs/json.md).
type Stats struct {
	GOMAXPROCS int `json:"gomaxprocs"`
	// Input sums the files read: bytes on disk, lines and records.
	Input Input `json:"input"`
	// Stages are in pipeline order; the JSON document holds the stages that
	// ended before it was written (the report stage is timed around it).
	Stages []Stage `json:"stages"`
	// Formats are per input format, by bytes read (largest first).
	Formats []Format `json:"formats"`
	// WallMS, CPUMS and AllocBytes are the stages' sums.
	WallMS     float64 `json:"wall_ms"`
	CPUMS      float64 `json:"cpu_ms"`
	AllocBytes uint64  `json:"alloc_bytes"`
	// PeakRSSBytes is the process's peak resident set so far (getrusage
	// maxrss): what a CI runner's memory limit sees. 0 where unknown.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// Input is the size of what was read.
type Input struct {
	Files   int   `json:"files"`
	Bytes   int64 `json:"bytes"`
	Lines   int64 `json:"lines"`
	Records int64 `json:"records"`
}

// Stage is one stage's cost.
type Stage struct {
	Name       string  `json:"name"`
	WallMS     float64 `json:"wall_ms"`
	CPUMS      float64 `json:"cpu_ms"`
	AllocBytes uint64  `json:"alloc_bytes"`
	GCCycles   uint64  `json:"gc_cycles"`
	// Bytes and MBPerS are set for the stages that read the input
	// (parse): input bytes over the stage's wall time.
	Bytes  int64   `json:"bytes,omitempty"`
	Lines  int64   `json:"lines,omitempty"`
	MBPerS float64 `json:"mb_per_s,omitempty"`
}

// Format is the input of one format and what reading it cost. WallMS sums
// the files' own parse times (files are parsed concurrently, so the sum
// can exceed the parse stage's wall); MBPerS is Bytes over that sum: one
// core's throughput on this format.
type Format struct {
	Format  string  `json:"format"`
	Files   int     `json:"files"`
	Bytes   int64   `json:"bytes"`
	Lines   int64   `json:"lines"`
	Records int64   `json:"records"`
	WallMS  float64 `json:"wall_ms"`
	MBPerS  float64 `json:"mb_per_s"`
}

// Recorder times stages. The zero value is not usable; call New.
type Recorder struct {
	stats   Stats
	formats map[string]*Format
	samples []metrics.Sample
	open    *openStage
}

type openStage struct {
	name  string
	start time.Time
	cpu   time.Duration
	alloc uint64
	gc    uint64
}

// New starts a recorder.
func New() *Recorder {
	return &Recorder{
		stats:   Stats{GOMAXPROCS: runtime.GOMAXPROCS(0)},
		formats: map[string]*Format{},
		samples: []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}},
	}
}

func (r *Recorder) read() (alloc, gc uint64) {
	metrics.Read(r.samples)
	if s := r.samples[0].Value; s.Kind() == metrics.KindUint64 {
		alloc = s.Uint64()
	}
	if s := r.samples[1].Value; s.Kind() == metrics.KindUint64 {
		gc = s.Uint64()
	}
	return alloc, gc
}

// Start begins a stage, ending the one still open.
func (r *Recorder) Start(name string) {
	if r == nil {
		return
	}
	r.End()
	alloc, gc := r.read()
	r.open = &openStage{name: name, start: time.Now(), cpu: CPUTime(), alloc: alloc, gc: gc}
}

// End ends the open stage, if any.
func (r *Recorder) End() {
	if r == nil || r.open == nil {
		return
	}
	o := r.open
	r.open = nil
	alloc, gc := r.read()
	s := Stage{
		Name:       o.name,
		WallMS:     ms(time.Since(o.start)),
		CPUMS:      ms(CPUTime() - o.cpu),
		AllocBytes: alloc - o.alloc,
		GCCycles:   gc - o.gc,
	}
	r.stats.Stages = append(r.stats.Stages, s)
	r.stats.WallMS += s.WallMS
	r.stats.CPUMS += s.CPUMS
	r.stats.AllocBytes += s.AllocBytes
}

// File records one input file: its format, size on disk, lines and
// records, and how long parsing it took (0 when not timed).
func (r *Recorder) File(format string, bytes, lines, records int64, wall time.Duration) {
	if r == nil {
		return
	}
	f := r.formats[format]
	if f == nil {
		f = &Format{Format: format}
		r.formats[format] = f
	}
	f.Files++
	f.Bytes += bytes
	f.Lines += lines
	f.Records += records
	f.WallMS += ms(wall)
	r.stats.Input.Files++
	r.stats.Input.Bytes += bytes
	r.stats.Input.Lines += lines
	r.stats.Input.Records += records
}

// Stats returns what was recorded so far, the open stage excluded, with
// the peak RSS read now.
func (r *Recorder) Stats() *Stats {
	if r == nil {
		return nil
	}
	s := r.stats
	s.Stages = append([]Stage(nil), r.stats.Stages...)
	for i := range s.Stages {
		if s.Stages[i].Name == Parse {
			s.Stages[i].Bytes, s.Stages[i].Lines = s.Input.Bytes, s.Input.Lines
			s.Stages[i].MBPerS = mbPerS(s.Input.Bytes, s.Stages[i].WallMS)
		}
	}
	s.Formats = make([]Format, 0, len(r.formats))
	for _, f := range r.formats {
		g := *f
		g.MBPerS = mbPerS(g.Bytes, g.WallMS)
		s.Formats = append(s.Formats, g)
	}
	sort.Slice(s.Formats, func(i, j int) bool {
		if s.Formats[i].Bytes != s.Formats[j].Bytes {
			return s.Formats[i].Bytes > s.Formats[j].Bytes
		}
		return s.Formats[i].Format < s.Formats[j].Format
	})
	s.PeakRSSBytes = PeakRSS()
	return &s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func mbPerS(bytes int64, wallMS float64) float64 {
	if wallMS <= 0 {
		return 0
	}
	return math.Round(float64(bytes)/1e3/wallMS*1000) / 1000
}

// A Timer measures one piece of work's wall time. It lives here, beside
// the Recorder, because timing is the only thing in a run allowed to read
// the machine's clock: what a Timer measures goes to --stats and nowhere
// else, so reports stay byte-identical from run to run.
type Timer struct{ start time.Time }

// StartTimer starts a Timer.
func StartTimer() Timer { return Timer{start: time.Now()} }

// Elapsed is the wall time since the Timer started.
func (t Timer) Elapsed() time.Duration { return time.Since(t.start) }
