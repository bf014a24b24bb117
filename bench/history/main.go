// Command history writes a benchmark folder holding one Locust run whose
// stats history is a real history replayed until it has -rows rows, each
// replay's timestamps shifted past the previous one's: the long-soak (or
// --csv-full-history) run whose history is millions of rows, for
// `logcorr analyze` and bench/run.sh.
//
//	go run ./bench/history -out /tmp/bench/hist1m -rows 1000000
//
// The other files of the run (stats, failures, exceptions) are copied as
// they are. The same flags write the same bytes.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("out", "", "folder to write (must not exist)")
	src := flag.String("src", "samples/pool-exhaustion/hasil_test_pool_exhaustion_stats_history.csv", "a Locust _stats_history.csv to replay")
	rows := flag.Int("rows", 1000000, "data rows to write")
	flag.Parse()
	if err := write(*out, *src, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "history:", err)
		os.Exit(1)
	}
}

func write(out, src string, rows int) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\n")
	if len(lines) < 2 {
		return fmt.Errorf("%s: no data rows", src)
	}
	header, body := lines[0], lines[1:]
	epoch := func(line string) (int64, string, error) {
		ts, rest, ok := strings.Cut(line, ",")
		if !ok {
			return 0, "", fmt.Errorf("%s: %q has no Timestamp field", src, line)
		}
		n, err := strconv.ParseInt(ts, 10, 64)
		return n, rest, err
	}
	first, _, err := epoch(body[0])
	if err != nil {
		return err
	}
	last, _, err := epoch(body[len(body)-1])
	if err != nil {
		return err
	}
	span := last - first + 1
	prefix := strings.TrimSuffix(filepath.Base(src), "_stats_history.csv")
	for _, kind := range []string{"stats", "failures", "exceptions"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(src), prefix+"_"+kind+".csv"))
		if err != nil {
			continue // a run may lack one; the history alone is the run
		}
		if err := os.WriteFile(filepath.Join(out, prefix+"_"+kind+".csv"), b, 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(out, prefix+"_stats_history.csv"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(header + "\n")
	var line bytes.Buffer
	for n, k := 0, int64(0); n < rows; k++ {
		for _, l := range body {
			if n == rows {
				break
			}
			ts, rest, err := epoch(l)
			if err != nil {
				return err
			}
			line.Reset()
			line.WriteString(strconv.FormatInt(ts+k*span, 10))
			line.WriteByte(',')
			line.WriteString(rest)
			line.WriteByte('\n')
			w.Write(line.Bytes())
			n++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
