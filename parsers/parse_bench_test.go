package parsers

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

// benchFormats are the real files the per-format benchmarks parse: the
// largest of the corpus in each format.
var benchFormats = []struct{ name, format, path string }{
	{"pgbouncer", "pgbouncer", "../../shared/corpus/stack/healthy/pgbouncer.log"},
	{"runserver", "runserver", "../../shared/corpus/stack/pool_exhaustion/logs/runserver_8000.err.log"},
	{"django", "django", "../../shared/corpus/stack/pool_exhaustion/logs/django_errors.log"},
	{"auth_debug", "auth_debug", "../../shared/corpus/stack/healthy/logs/auth_debug.log"},
	{"locust_auth", "locust_auth", "../../shared/corpus/stack/pool_exhaustion/logs/locust_login_failures.log"},
	{"locust_console", "locust_console", "../../shared/corpus/stack/slow_exports/locust.log"},
	{"locust_csv_history", "locust_csv", "../../shared/corpus/ahsp/hasil_test_v24_100u_pool140_no_export_no_admin_stats_history.csv"},
	{"locust_csv_stats", "locust_csv", "../../shared/corpus/ahsp/hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats.csv"},
	{"locust_html", "locust_html", "../../shared/corpus/ahsp/hasil_test_v18_100u_pgbouncer_redis_20260111_114225.html"},
}

// benchFiles adds, when LOGCORR_BENCH_DIR names a folder bench/gen wrote
// (real-format logs replayed night after night), its large file of each
// format: on the corpus' small files a file's fixed costs (buffers, the
// builders' first batch) weigh on the per-line figures.
func benchFiles() []struct{ name, format, path string } {
	out := benchFormats
	if dir := os.Getenv("LOGCORR_BENCH_DIR"); dir != "" {
		for _, f := range []struct{ name, format, path string }{
			{"gen_pgbouncer", "pgbouncer", "pgbouncer.log"},
			{"gen_runserver", "runserver", "logs/runserver_8000.err.log"},
			{"gen_django", "django", "logs/django_errors.log"},
			{"gen_auth_debug", "auth_debug", "logs/auth_debug.log"},
			{"gen_locust_auth", "locust_auth", "logs/locust_login_failures.log"},
			{"gen_locust_console", "locust_console", "locust.log"},
		} {
			f.path = filepath.Join(dir, f.path)
			out = append(out, f)
		}
	}
	return out
}

// BenchmarkParseFormat parses one real file per format into its Arrow
// tables (the parse stage's whole work for that file: read, detect or not,
// parse, redact, build the tables) and reports MB/s and allocations per
// input line: the hot path allocates per batch, not per line.
func BenchmarkParseFormat(b *testing.B) {
	for _, f := range benchFiles() {
		b.Run(f.name, func(b *testing.B) {
			st, err := os.Stat(f.path)
			if err != nil {
				b.Skipf("corpus absent (%v)", err)
			}
			targets := []Target{{Path: f.path, Name: filepath.Base(f.path)}}
			opt := Options{Format: f.format}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var lines int64
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			n := 0
			for b.Loop() {
				ds := Parse(targets, opt)
				lines = ds.Files[0].Audit.Lines
				if ds.Files[0].Audit.Unparsed != 0 || ds.Files[0].Audit.Records == 0 {
					b.Fatalf("%s: %+v", f.path, ds.Files[0].Audit)
				}
				ds.Release()
				n++
			}
			runtime.ReadMemStats(&ms1)
			if lines > 0 && n > 0 {
				b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(n)/float64(lines), "allocs/line")
				b.ReportMetric(float64(lines), "lines")
			}
		})
	}
}

// BenchmarkParseCSVFolder parses, in one Parse as analyze does, every
// Locust CSV of the LOGCORR_BENCH_DIR folder (bench/gen writes ~1,100
// small ones: stats, history, failures and exceptions of each run), and
// reports the cost per file: with a few dozen rows a file, what a file
// sets up (detection, writers, dictionaries, batches) is most of it.
func BenchmarkParseCSVFolder(b *testing.B) {
	dir := os.Getenv("LOGCORR_BENCH_DIR")
	if dir == "" {
		b.Skip("LOGCORR_BENCH_DIR unset")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(paths) == 0 {
		b.Skipf("no CSV in %s (%v)", dir, err)
	}
	var targets []Target
	var size int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
		targets = append(targets, Target{Path: p, Name: filepath.Base(p)})
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		ds := Parse(targets, Options{})
		for _, f := range ds.Files {
			if f.Audit.Unparsed != 0 {
				b.Fatalf("%s: %+v", f.Path, f.Audit)
			}
		}
		ds.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(targets))/1e3, "µs/file")
}

// BenchmarkHistoryRows parses a generated history CSV of
// LOGCORR_BENCH_HISTORY_ROWS rows (default 5,000,000; the file, ~1 GB,
// is written to a temporary folder and removed): the parse must stream
// it, allocating nothing per row, so its memory is the table's. It reports
// allocations per row and the live heap after parsing (the table).
func BenchmarkHistoryRows(b *testing.B) {
	n := 5_000_000
	if s := os.Getenv("LOGCORR_BENCH_HISTORY_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	} else if testing.Short() {
		b.Skip("writes a 1 GB file; -short skips it")
	}
	path := filepath.Join(b.TempDir(), "gen_stats_history.csv")
	if err := writeHistoryCSV(path, n); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	targets := []Target{{Path: path, Name: "gen_stats_history.csv"}}
	var ms0, ms1, live runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	runs := 0
	for b.Loop() {
		ds := Parse(targets, Options{})
		if got := ds.Rows(schema.TableHistory); got != int64(n) {
			b.Fatalf("%d history rows, want %d (%+v)", got, n, ds.Files[0].Audit)
		}
		runtime.GC()
		runtime.ReadMemStats(&live)
		ds.Release()
		runs++
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(runs)/float64(n), "allocs/row")
	b.ReportMetric(float64(live.HeapAlloc-ms0.HeapAlloc)/float64(n), "live-B/row")
	b.ReportMetric(float64(live.HeapAlloc-ms0.HeapAlloc)/(1<<20), "live-MiB")
}

// writeHistoryCSV writes a Locust 2.x history CSV of n rows: five names a
// second (the Aggregated row and four requests, as --csv-full-history
// writes), figures that vary row to row.
func writeHistoryCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%," +
		"Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size\n")
	names := [][2]string{{"", "Aggregated"}, {"GET", "/accounts/login/"}, {"POST", "/accounts/login/"}, {"GET", "/api/project/[id]/rekap/"}, {"GET", "/"}}
	rng := rand.New(rand.NewPCG(1, 2))
	var total int64
	var line []byte
	for i := 0; i < n; i++ {
		nm := names[i%len(names)]
		total += rng.Int64N(50)
		line = strconv.AppendInt(line[:0], 1796134513+int64(i/len(names)), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, rng.Int64N(100), 10)
		line = append(append(append(append(line, ','), nm[0]...), ','), nm[1]...)
		line = append(line, ',')
		line = strconv.AppendFloat(line, rng.Float64()*50, 'f', 6, 64)
		line = append(line, ',')
		line = strconv.AppendFloat(line, rng.Float64(), 'f', 6, 64)
		p := int64(10 + rng.Int64N(100))
		for range 11 {
			line = append(line, ',')
			line = strconv.AppendInt(line, p, 10)
			p += rng.Int64N(400)
		}
		line = append(line, ',')
		line = strconv.AppendInt(line, total, 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, total/50, 10)
		for _, v := range []float64{rng.Float64() * 300, rng.Float64() * 500, rng.Float64() * 80, rng.Float64() * 9000, rng.Float64() * 2000} {
			line = append(line, ',')
			line = strconv.AppendFloat(line, v, 'g', -1, 64)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
