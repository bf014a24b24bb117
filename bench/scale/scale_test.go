package scale

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const samples = "../../samples"

func sampleDir(t testing.TB, name string) string {
	t.Helper()
	d := filepath.Join(samples, name)
	if _, err := os.Stat(d); err != nil {
		t.Skipf("%s not available: %v", d, err)
	}
	return d
}

// readTree maps every file under dir (relative path) to its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A template written back with no shift is the file, byte for byte: the
// generator changes timestamps and nothing else.
func TestTemplateRoundTrip(t *testing.T) {
	for _, sc := range []string{"pool-exhaustion", "rate-limited", "healthy", "many-runs"} {
		dir := sampleDir(t, sc)
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*.log"))
		for _, f := range append(files, logs...) {
			epochs := strings.HasSuffix(f, historySuffix)
			if !epochs && !strings.HasSuffix(f, ".log") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tp := newTemplate(b, epochs)
			var got []byte
			n := 0
			for i := range tp.lines {
				got = appendLine(got, &tp.lines[i], 0)
				n += len(tp.lines[i].stamps)
			}
			if !bytes.Equal(got, b) {
				t.Errorf("%s: round trip differs", f)
			}
			if len(b) > 0 && n == 0 {
				t.Errorf("%s: no timestamp found", f)
			}
		}
	}
}

func TestFindStamps(t *testing.T) {
	tests := []struct {
		line string
		want []string // UTC seconds as RFC 3339
	}{
		{"2026-11-29 20:46:02,352 DEBUG auth_debug auth_request method=GET", []string{"2026-11-29T20:46:02Z"}},
		{"2026-11-29T20:46:14.523450 login_server_error username=tester007", []string{"2026-11-29T20:46:14Z"}},
		{`[29/Nov/2026 20:46:02] "GET /accounts/login/ HTTP/1.1" 200 1272`, []string{"2026-11-29T20:46:02Z"}},
		{"[2026-11-29 20:46:02,309] vm/INFO/locust.main: Starting Locust", []string{"2026-11-29T20:46:02Z"}},
		{"2026-11-29 20:45:58.760 WIB [25331] LOG stats at 2026-11-29 20:46:00", []string{"2026-11-29T20:45:58Z", "2026-11-29T20:46:00Z"}},
		{"tls: OpenSSL 3.0.19 27 Jan 2026", nil},
		{"12026-11-29 20:46:02 is not a date", nil},
		{"2026-13-29 20:46:02 bad month", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, s := range findStamps([]byte(tc.line)) {
			got = append(got, time.Unix(s.sec, 0).UTC().Format(time.RFC3339))
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: got %v, want %v", tc.line, got, tc.want)
		}
	}
}

func gen(t *testing.T, opt Options) (string, Summary) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	sum, err := Generate(out, opt)
	if err != nil {
		t.Fatal(err)
	}
	return out, sum
}

func TestGenerateDeterministic(t *testing.T) {
	src := []string{sampleDir(t, "pool-exhaustion"), sampleDir(t, "rate-limited")}
	a, _ := gen(t, Options{Sources: src, Nights: 4, Seed: 7})
	b, _ := gen(t, Options{Sources: src, Nights: 4, Seed: 7})
	c, _ := gen(t, Options{Sources: src, Nights: 4, Seed: 8})
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d", len(ta), len(tb))
	}
	for k, v := range ta {
		if !bytes.Equal(v, tb[k]) {
			t.Errorf("%s differs between two runs with the same seed", k)
		}
	}
	if bytes.Equal(ta["logs/runserver_8000.err.log"], tc["logs/runserver_8000.err.log"]) {
		t.Error("another seed wrote the same runserver log")
	}
}

var stampRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}|\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}`)

// Every night is the scenario's lines with every timestamp moved by one
// delta, the history's epochs by the same delta (so the clock offsets stay
// true), and the run named by its local stamp just before it started.
func TestGenerateShiftsEveryTimestampTogether(t *testing.T) {
	src := sampleDir(t, "pool-exhaustion")
	const nights = 3
	out, sum := gen(t, Options{Sources: []string{src}, Nights: nights, Seed: 1})
	if sum.Nights != nights || len(sum.Runs) != nights {
		t.Fatalf("summary %+v", sum)
	}
	e0 := int64(0)
	{
		b, _ := os.ReadFile(filepath.Join(src, "hasil_test_pool_exhaustion"+historySuffix))
		e0 = newTemplate(b, true).lo
	}
	deltas := make([]int64, nights)
	for k, r := range sum.Runs {
		deltas[k] = r.FirstEpoch - e0
		if k > 0 && deltas[k]-deltas[k-1] < 86400-int64(2*MaxJitter/time.Second) {
			t.Errorf("night %d starts %d s after night %d", k, deltas[k]-deltas[k-1], k-1)
		}
		local := time.Unix(r.FirstEpoch+7*3600-3, 0).UTC().Format("20060102_150405")
		if r.Name != "hasil_test_pool_exhaustion_"+local {
			t.Errorf("run %d named %s, want the stamp %s", k, r.Name, local)
		}
		for _, suf := range append([]string{historySuffix}, plainSuffixes...) {
			if _, err := os.Stat(filepath.Join(out, r.Name+suf)); err != nil {
				t.Error(err)
			}
		}
	}
	logs, _ := filepath.Glob(filepath.Join(src, "logs", "*.log"))
	logs = append(logs, filepath.Join(src, "pgbouncer.log"), filepath.Join(src, "locust.log"))
	sort.Strings(logs)
	for _, f := range logs {
		rel, _ := filepath.Rel(src, f)
		orig, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		ol := strings.SplitAfter(string(orig), "\n")
		ol = ol[:len(ol)-1] // the text after the last newline is empty
		gl := strings.SplitAfter(string(got), "\n")
		gl = gl[:len(gl)-1]
		if len(gl) != nights*len(ol) {
			t.Fatalf("%s: %d lines, want %d × %d", rel, len(gl), nights, len(ol))
		}
		for i, g := range gl {
			k, o := i/len(ol), ol[i%len(ol)]
			if stampRe.ReplaceAllString(g, "T") != stampRe.ReplaceAllString(o, "T") {
				t.Fatalf("%s:%d: %q is not %q with new times", rel, i+1, g, o)
			}
			os, gs := findStamps([]byte(o)), findStamps([]byte(g))
			for j := range os {
				if gs[j].sec-os[j].sec != deltas[k] {
					t.Fatalf("%s:%d: moved %d s, the night's history %d s", rel, i+1, gs[j].sec-os[j].sec, deltas[k])
				}
			}
		}
	}
}

func TestGenerateSizeAndWindow(t *testing.T) {
	src := []string{sampleDir(t, "pool-exhaustion")}
	_, one := gen(t, Options{Sources: src, Nights: 1})
	out, sum := gen(t, Options{Sources: src, Size: 5 * one.Bytes / 2})
	if sum.Nights != 3 || sum.Bytes < 5*one.Bytes/2 {
		t.Errorf("size %d: %d nights, %d bytes (one night %d)", 5*one.Bytes/2, sum.Nights, sum.Bytes, one.Bytes)
	}
	_ = out

	w := &Window{From: 10 * time.Second, To: 15 * time.Second}
	wout, wsum := gen(t, Options{Sources: src, Nights: 5, Window: w})
	if wsum.Bytes >= 5*one.Bytes/2 {
		t.Errorf("5 nights of 5 s are %d bytes, one whole night of ~30 s %d", wsum.Bytes, one.Bytes)
	}
	// Every kept history row and log line lies in its night's window.
	for _, r := range wsum.Runs {
		b, err := os.ReadFile(filepath.Join(wout, r.Name+historySuffix))
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
		if len(rows) == 0 {
			t.Fatalf("%s: no row kept", r.Name)
		}
		for _, row := range rows {
			sec, _ := strconv.ParseInt(row[:strings.IndexByte(row, ',')], 10, 64)
			if rel := sec - (r.FirstEpoch - 0); rel < 0 || rel >= 5 {
				t.Errorf("%s: row %d s after the first kept row", r.Name, rel)
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(wout, "logs", "django_errors.log"))
	if !bytes.Contains(b, []byte("Traceback (most recent call last):")) {
		t.Error("the window dropped the tracebacks' continuation lines")
	}

	// HistoryOnly: the CSV set is its stats history alone.
	hout, hsum := gen(t, Options{Sources: src, Nights: 2, Window: w, HistoryOnly: true})
	for rel := range readTree(t, hout) {
		if strings.HasSuffix(rel, ".csv") && !strings.HasSuffix(rel, historySuffix) {
			t.Errorf("HistoryOnly wrote %s", rel)
		}
	}
	if len(hsum.Runs) != 2 {
		t.Errorf("HistoryOnly: %d runs", len(hsum.Runs))
	}

	// At most 2 records per log file and night, each whole.
	cout, _ := gen(t, Options{Sources: src, Nights: 5, Window: w, MaxRecords: 2})
	for rel, b := range readTree(t, cout) {
		if !strings.HasSuffix(rel, ".log") {
			continue
		}
		tp := newTemplate(b, false)
		n := 0
		for _, l := range tp.lines {
			if len(l.stamps) > 0 {
				n++
			}
		}
		if n == 0 || n > 10 {
			t.Errorf("%s: %d records in 5 nights, want 1..10", rel, n)
		}
		if rel == "logs/django_errors.log" && bytes.Count(b, []byte("\nTraceback (most recent call last):")) < 5 {
			t.Errorf("django_errors.log lost its tracebacks:\n%s", b)
		}
	}
}

// A soak folder is one run: one CSV set, whose history holds every
// night's rows after one header, epochs rising without a night's gap,
// and the logs of every night; a source of several runs is refused.
func TestGenerateSoak(t *testing.T) {
	src := sampleDir(t, "pool-exhaustion")
	one, _ := gen(t, Options{Sources: []string{src}, Nights: 1})
	out, sum := gen(t, Options{Sources: []string{src}, Nights: 3, Soak: true})
	if len(sum.Runs) != 1 || sum.Nights != 3 {
		t.Fatalf("%d runs over %d nights, want 1 over 3", len(sum.Runs), sum.Nights)
	}
	hist, _ := filepath.Glob(filepath.Join(out, "*"+historySuffix))
	single, _ := filepath.Glob(filepath.Join(one, "*"+historySuffix))
	if len(hist) != 1 || len(single) != 1 {
		t.Fatalf("history files %v (one night: %v), want one each", hist, single)
	}
	b, _ := os.ReadFile(hist[0])
	b1, _ := os.ReadFile(single[0])
	lines, lines1 := strings.Split(strings.TrimSpace(string(b)), "\n"), strings.Split(strings.TrimSpace(string(b1)), "\n")
	if len(lines)-1 != 3*(len(lines1)-1) || lines[0] != lines1[0] {
		t.Fatalf("%d history rows, want 3 x %d after the one header", len(lines)-1, len(lines1)-1)
	}
	prev, maxGap := int64(0), int64(0)
	for i, l := range lines[1:] {
		ts, _, _ := strings.Cut(l, ",")
		e, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			t.Fatalf("row %d: %q", i+2, l)
		}
		if i > 0 && e < prev {
			t.Fatalf("row %d: epoch %d before %d", i+2, e, prev)
		}
		if i > 0 {
			maxGap = max(maxGap, e-prev)
		}
		prev = e
	}
	if maxGap > 60 {
		t.Errorf("a %d s gap between history rows: the nights are not one run", maxGap)
	}
	logs, _ := os.ReadFile(filepath.Join(out, "pgbouncer.log"))
	logs1, _ := os.ReadFile(filepath.Join(one, "pgbouncer.log"))
	if len(logs) != 3*len(logs1) {
		t.Errorf("pgbouncer.log %d bytes, want 3 x %d", len(logs), len(logs1))
	}
	if _, err := Generate(filepath.Join(t.TempDir(), "x"), Options{Sources: []string{sampleDir(t, "many-runs")}, Nights: 1, Soak: true}); err == nil {
		t.Error("a source of several runs was taken for a soak")
	}
}

// Dense writes each record (its timestamped line and its continuation
// lines) that many times in a row, at its own time; the lines before a
// file's first record once; the Locust CSVs as they were.
func TestGenerateDense(t *testing.T) {
	src := []string{sampleDir(t, "pool-exhaustion")}
	wout, _ := gen(t, Options{Sources: src, Nights: 1})
	dout, _ := gen(t, Options{Sources: src, Nights: 1, Dense: 3})
	one, three := readTree(t, wout), readTree(t, dout)
	if len(one) != len(three) {
		t.Fatalf("%d files, want %d", len(three), len(one))
	}
	for rel, b := range one {
		if !strings.HasSuffix(rel, ".log") {
			if !bytes.Equal(b, three[rel]) {
				t.Errorf("%s changed", rel)
			}
			continue
		}
		// The expected file: each record of the plain night three times.
		var want []byte
		tp := newTemplate(b, false)
		var rec []byte
		flush := func() {
			for range 3 {
				want = append(want, rec...)
			}
			rec = rec[:0]
		}
		started := false
		for _, l := range tp.lines {
			text := appendLine(nil, &l, 0)
			if len(l.stamps) > 0 {
				flush()
				started = true
			}
			if !started {
				want = append(want, text...)
				continue
			}
			rec = append(rec, text...)
		}
		flush()
		if !bytes.Equal(three[rel], want) {
			t.Errorf("%s: %d bytes, want %d (each record three times)", rel, len(three[rel]), len(want))
		}
		if rel == "logs/django_errors.log" && bytes.Count(three[rel], []byte("Traceback (most recent call last):")) != 3*bytes.Count(b, []byte("Traceback (most recent call last):")) {
			t.Errorf("%s: the tracebacks are not each written three times", rel)
		}
	}
}
