// Command check is CI's cost regression check: it runs a logcorr binary
// as a whole process over a generated folder (analyze --stats --format
// json) and fails when what the run cost, as ratios that do not depend
// on the machine's speed or load, passes the limits given:
//
//   - peak RSS over the input's size (memory is not shared between jobs);
//   - heap bytes allocated over the input's size (nearly deterministic);
//   - analyze's CPU time over the CPU time of a reference pass over the
//     same bytes (FNV-1a, plain Go, over every file four times, in this
//     process: scalar work like parsing, no hashing instructions), so a slower or
//     busier runner moves both alike. CPU, never wall: a shared runner's
//     wall time says more about its neighbours than about logcorr.
//
// The median of -runs runs is compared. The limits and the figures they
// come from are in BENCHMARKS.md ("CI cost check").
//
//	go run ./bench/gen -out /tmp/b10 -size 10MB
//	go run ./bench/check -logcorr ./logcorr -dir /tmp/b10 -max-rss 20 -max-alloc 60 -max-cpu 40
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/logcorr/logcorr/perf"
)

type cost struct {
	Input struct {
		Bytes int64 `json:"bytes"`
	} `json:"input"`
	CPUMS        float64 `json:"cpu_ms"`
	AllocBytes   float64 `json:"alloc_bytes"`
	PeakRSSBytes float64 `json:"peak_rss_bytes"`
}

func main() {
	bin := flag.String("logcorr", "logcorr", "the logcorr binary")
	dir := flag.String("dir", "", "the folder to analyze (bench/gen)")
	runs := flag.Int("runs", 3, "runs; the median is compared")
	maxRSS := flag.Float64("max-rss", 0, "limit: peak RSS / input bytes (0: no limit)")
	maxAlloc := flag.Float64("max-alloc", 0, "limit: allocated bytes / input bytes (0: no limit)")
	maxCPU := flag.Float64("max-cpu", 0, "limit: analyze CPU / reference CPU (0: no limit)")
	flag.Parse()
	if err := run(*bin, *dir, *runs, *maxRSS, *maxAlloc, *maxCPU); err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(1)
	}
}

func run(bin, dir string, runs int, maxRSS, maxAlloc, maxCPU float64) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}
	var rss, alloc, cpu []float64
	for i := 0; i < max(1, runs); i++ {
		p, err := analyze(bin, dir)
		if err != nil {
			return err
		}
		ref, err := reference(dir)
		if err != nil {
			return err
		}
		in := float64(p.Input.Bytes)
		if in == 0 {
			return fmt.Errorf("%s: the perf block counts no input", dir)
		}
		rss = append(rss, p.PeakRSSBytes/in)
		alloc = append(alloc, p.AllocBytes/in)
		cpu = append(cpu, p.CPUMS/ms(ref))
	}
	failed := false
	for _, c := range []struct {
		name  string
		got   float64
		limit float64
	}{{"peak RSS / input", median(rss), maxRSS}, {"allocated / input", median(alloc), maxAlloc}, {"CPU / reference CPU", median(cpu), maxCPU}} {
		verdict := "ok"
		if c.limit > 0 && c.got > c.limit {
			verdict, failed = "REGRESSION", true
		}
		fmt.Printf("%-22s %8.2f  (limit %.2f)  %s\n", c.name, c.got, c.limit, verdict)
	}
	if failed {
		return fmt.Errorf("a cost passed its limit (see BENCHMARKS.md, \"CI cost check\")")
	}
	return nil
}

// analyze runs logcorr as CI would and returns its perf block.
func analyze(bin, dir string) (*cost, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, "analyze", "--format", "json", "--stats", "--fail-on", "none", dir)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", bin, err, errb.String())
	}
	var doc struct {
		Perf *cost `json:"perf"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.Perf == nil {
		return nil, fmt.Errorf("%s: no perf block in the JSON (%v)", bin, err)
	}
	return doc.Perf, nil
}

// reference is the CPU time of reading every file of dir and hashing it
// four times over.
func reference(dir string) (time.Duration, error) {
	before := perf.CPUTime()
	h := fnv.New64a()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		for i := 0; i < 4 && err == nil; i++ {
			_, err = h.Write(b)
		}
		return err
	})
	return perf.CPUTime() - before, err
}

func ms(d time.Duration) float64 { return max(float64(d.Microseconds())/1000, 0.001) }

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
