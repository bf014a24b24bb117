package parsers

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
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
