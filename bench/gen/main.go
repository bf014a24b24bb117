// Command gen writes a benchmark folder: captured scenarios' logs repeated
// night after night with shifted timestamps, each night with its own Locust
// CSV set (see package scale).
//
//	go run ./bench/gen -out /tmp/bench/100MB -size 100MB
//	go run ./bench/gen -out /tmp/bench/571n -nights 571
//	go run ./bench/gen -out /tmp/bench/soak -size 100MB -soak -src samples/pool-exhaustion
//	go run ./bench/gen -out /tmp/bench/storm -nights 1 -dense 400 -src samples/pool-exhaustion
//
// The same flags write the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/bench/scale"
)

func main() {
	out := flag.String("out", "", "folder to write (must not exist)")
	src := flag.String("src", "samples/pool-exhaustion,samples/rate-limited,samples/healthy,samples/many-runs", "scenario folders, comma-separated, replayed in turn night after night")
	size := flag.String("size", "", "write nights until this many bytes: 10MB, 100MB, 1GB (decimal units)")
	nights := flag.Int("nights", 0, "number of nights (instead of -size)")
	seed := flag.Uint64("seed", 1, "moves each night's start by up to ±30 min")
	window := flag.String("window", "", "keep only FROM..TO after each run's first history epoch, e.g. 10s..20s (small folders for tests)")
	records := flag.Int("max-records", 0, "keep only the first N records of each log file per night (small folders for tests)")
	every := flag.Int("keep-every", 0, "keep one record in N of each log file (thinned nights for benchmarks)")
	soak := flag.Bool("soak", false, "one long run instead of a run per night (a soak test's folder; one source)")
	dense := flag.Int("dense", 0, "write each log record N times at its own time (a storm: N times the errors per second)")
	flag.Parse()
	if err := run(*out, *src, *size, *nights, *seed, *window, *records, *every, *dense, *soak); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func run(out, src, size string, nights int, seed uint64, window string, records, every, dense int, soak bool) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	opt := scale.Options{Sources: strings.Split(src, ","), Nights: nights, Seed: seed, MaxRecords: records, KeepEvery: every, Dense: dense, Soak: soak}
	if size != "" {
		n, err := parseSize(size)
		if err != nil {
			return err
		}
		opt.Size = n
	}
	if window != "" {
		from, to, ok := strings.Cut(window, "..")
		f, err1 := time.ParseDuration(from)
		t, err2 := time.ParseDuration(to)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("-window %q: want FROM..TO durations, e.g. 10s..20s", window)
		}
		opt.Window = &scale.Window{From: f, To: t}
	}
	sum, err := scale.Generate(out, opt)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d nights, %d runs, %d files, %d bytes\n", out, sum.Nights, len(sum.Runs), sum.Files, sum.Bytes)
	return nil
}

// parseSize reads "100MB", "1GB", "10kB" (decimal units) or a byte count.
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, x := range []struct {
		suf string
		m   int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(u, x.suf) {
			u, mult = strings.TrimSuffix(u, x.suf), x.m
			break
		}
	}
	v, err := strconv.ParseFloat(u, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("size %q: want e.g. 100MB", s)
	}
	return int64(v * float64(mult)), nil
}
