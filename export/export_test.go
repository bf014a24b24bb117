package export

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// The files are read back with arrow-go's own Parquet reader (test-only,
// so the CLI does not link it), an implementation independent of the
// writer.

// analysis is what the CLI's export does before Write: discover, parse,
// correlate (keeping the events outside every run), rules, gates.
type analysis struct {
	ds *schema.Dataset
	in Input
}

func analyzePaths(t *testing.T, copt correlate.Options, slo []string, paths ...string) *analysis {
	t.Helper()
	return analyzeParsed(t, parsers.Options{}, copt, slo, paths...)
}

// analyzeParsed is analyzePaths with the parse's options.
func analyzeParsed(t *testing.T, popt parsers.Options, copt correlate.Options, slo []string, paths ...string) *analysis {
	t.Helper()
	targets, _ := parsers.Discover(paths, popt)
	if len(targets) == 0 {
		t.Fatalf("%v: no files found", paths)
	}
	ds := parsers.Parse(targets, popt)
	t.Cleanup(ds.Release)
	copt.KeepOutside = true
	a, err := correlate.Analyze(ds, copt)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := gates.ParseAll(slo)
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, checks := map[string][]rules.Finding{}, map[string][]rules.CheckStatus{}
	for _, rr := range set.Evaluate(a, gates.Targets(gs, rules.DefaultTargets)) {
		findings[rr.Run] = append(findings[rr.Run], rr.Findings...)
		checks[rr.Run] = append(checks[rr.Run], rr.Checks...)
	}
	var results []gates.Result
	for _, r := range a.Runs {
		results = append(results, gates.Evaluate(gs, r, findings[r.Name], nil)...)
	}
	crit := rules.Critical
	return &analysis{ds: ds, in: Input{Analysis: a, Findings: findings, Checks: checks, Gates: results, FailOn: &crit}}
}

func samples(t *testing.T, names ...string) []string {
	var out []string
	for _, n := range names {
		p := filepath.Join("..", "samples", n)
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, p)
	}
	return out
}

func readParquet(t *testing.T, path string) (arrow.Table, map[string]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: arrow-go cannot open it: %v", path, err)
	}
	meta := map[string]string{}
	kv := pf.MetaData().KeyValueMetadata()
	for i, k := range kv.Keys() {
		meta[k] = kv.Values()[i]
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("%s: arrow-go cannot read it: %v", path, err)
	}
	t.Cleanup(tbl.Release)
	return tbl, meta
}

// col returns a table's column as one array.
func col(t *testing.T, tbl arrow.Table, name string) arrow.Array {
	t.Helper()
	idx := tbl.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("no column %s in %s", name, tbl.Schema())
	}
	a, err := array.Concatenate(tbl.Column(idx[0]).Data().Chunks(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Release)
	return a
}

func texts(t *testing.T, tbl arrow.Table, name string) []string {
	t.Helper()
	a := col(t, tbl, name).(*array.String)
	out := make([]string, a.Len())
	for i := range out {
		out[i] = a.Value(i)
	}
	return out
}

func ints(t *testing.T, tbl arrow.Table, name string) []int64 {
	t.Helper()
	a := col(t, tbl, name).(*array.Int64)
	return append([]int64(nil), a.Int64Values()...)
}

// partFile is the file of table's partition for run (NoRun: the one
// run=__none__ file).
func partFile(t *testing.T, root, table, run string) string {
	t.Helper()
	dir := filepath.Join(root, table, partitionDir(run))
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	var files []string
	for _, e := range ents {
		files = append(files, e.Name())
	}
	if len(files) != 1 || !strings.HasPrefix(files[0], "part-") || !strings.HasSuffix(files[0], ".parquet") {
		t.Fatalf("%s holds %v, want one part-*.parquet", dir, files)
	}
	return filepath.Join(dir, files[0])
}

// checkSchema compares a file's schema with the table's contract.
func checkSchema(t *testing.T, path string, tbl arrow.Table, spec Table) {
	t.Helper()
	got := tbl.Schema()
	if got.NumFields() != len(spec.Columns) {
		t.Fatalf("%s: %d columns, want %d", path, got.NumFields(), len(spec.Columns))
	}
	for i, c := range spec.Columns {
		f := got.Field(i)
		if f.Name != c.Name || f.Nullable != c.Nullable {
			t.Errorf("%s: column %d is %s (nullable %v), want %s (nullable %v)", path, i, f.Name, f.Nullable, c.Name, c.Nullable)
		}
		want := c.Kind.arrowType()
		switch want.ID() {
		case arrow.LIST, arrow.MAP:
			// Readers name a nested type's inner fields their own way;
			// compare what they hold.
			if f.Type.ID() != want.ID() || !strings.Contains(f.Type.String(), nestedElem(want)) {
				t.Errorf("%s: column %s is %s, want %s", path, c.Name, f.Type, want)
			}
		default:
			if !arrow.TypeEqual(f.Type, want) {
				t.Errorf("%s: column %s is %s, want %s", path, c.Name, f.Type, want)
			}
		}
	}
}

func nestedElem(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.ListType:
		return t.Elem().String()
	case *arrow.MapType:
		return t.ItemType().String()
	}
	return ""
}

type eventKey struct {
	file string
	line int64
}

// TestExportSamples exports every sample at once and reads each file back:
// every table's schema is the contract, every partition holds exactly the
// analysis's rows for its run, and every log event of the input is in
// some partition.
func TestExportSamples(t *testing.T) {
	an := analyzePaths(t, correlate.Options{}, []string{"p95<2s", "no finding>=critical"},
		samples(t, "healthy", "pool-exhaustion", "rate-limited", "many-runs")...)
	a := an.in.Analysis
	if len(a.Runs) != 6 {
		t.Fatalf("%d runs, want the 6 of the samples", len(a.Runs))
	}
	root := t.TempDir()
	sum, err := Write(root, an.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	specs := map[string]Table{}
	for _, s := range Tables() {
		specs[s.Name] = s
	}
	read := func(table, run string) arrow.Table {
		t.Helper()
		p := partFile(t, root, table, run)
		tbl, meta := readParquet(t, p)
		checkSchema(t, p, tbl, specs[table])
		if meta["logcorr.dataset"] != Dataset || meta["logcorr.table"] != table {
			t.Errorf("%s: footer metadata %v", p, meta)
		}
		for i, v := range texts(t, tbl, "run") {
			if v != run {
				t.Fatalf("%s: row %d has run %q", p, i, v)
			}
		}
		return tbl
	}
	seen := map[eventKey]bool{}
	var total int64
	doc := report.BuildAnalysis(a, an.in.Findings)
	for ri, r := range a.Runs {
		fs := an.in.Findings[r.Name]
		evidence := 0
		for _, f := range fs {
			evidence += len(f.Evidence)
		}
		gateRows := 0
		for _, g := range an.in.Gates {
			if g.Run == r.Name {
				gateRows++
			}
		}
		want := map[string]int{
			"runs": 1, "requests": len(r.Stats), "history": len(r.History), "failures": len(r.Failures),
			"exceptions": len(r.Exceptions), "events": r.Events.Len(), "links": len(r.Chains), "clusters": len(r.Clusters),
			"incidents": len(r.Incidents), "findings": len(fs), "evidence": evidence, "gates": gateRows, "clocks": len(r.Clock),
			"checks": len(an.in.Checks[r.Name]),
		}
		for _, spec := range Tables() {
			tbl := read(spec.Name, r.Name)
			if n, ok := want[spec.Name]; ok && tbl.NumRows() != int64(n) {
				t.Errorf("run %s: table %s has %d rows, want %d", r.Name, spec.Name, tbl.NumRows(), n)
			}
			total += tbl.NumRows()
		}
		runs := read("runs", r.Name)
		if got := ints(t, runs, "failures"); r.Aggregated == nil || got[0] != r.Aggregated.Failures {
			t.Errorf("run %s: runs.failures %v, Aggregated %+v", r.Name, got, r.Aggregated)
		}
		if got := ints(t, runs, "pooler_errors_total")[0]; got != r.LinkStats.PoolerErrorTotal {
			t.Errorf("run %s: pooler_errors_total %d, want %d", r.Name, got, r.LinkStats.PoolerErrorTotal)
		}
		ev := read("events", r.Name)
		files, lines, kinds := texts(t, ev, "file"), ints(t, ev, "line"), texts(t, ev, "kind")
		pooler := int64(0)
		for i := range files {
			if e := r.Events.At(i); e.File() != files[i] || e.Line() != lines[i] {
				t.Fatalf("run %s: events row %d is %s:%d, want %s:%d", r.Name, i, files[i], lines[i], e.File(), e.Line())
			}
			seen[eventKey{files[i], lines[i]}] = true
			if kinds[i] == parsers.KindPoolerError {
				pooler++
			}
		}
		if pooler != r.LinkStats.PoolerErrorTotal {
			t.Errorf("run %s: %d pooler_error events, link stats say %d", r.Name, pooler, r.LinkStats.PoolerErrorTotal)
		}
		fids := texts(t, read("findings", r.Name), "id")
		for i, f := range doc.Runs[ri].Findings {
			if fids[i] != f.ID {
				t.Errorf("run %s: finding %d is %s, the JSON's is %s", r.Name, i, fids[i], f.ID)
			}
		}
		if c := texts(t, runs, "conclusion"); c[0] != doc.Runs[ri].Conclusion.Verdict {
			t.Errorf("run %s: conclusion %q, the JSON's %q", r.Name, c[0], doc.Runs[ri].Conclusion.Verdict)
		}
		src := texts(t, read("sources", r.Name), "file")
		for _, f := range append(append([]string{}, r.Files...), r.Logs...) {
			if !slices.Contains(src, f) {
				t.Errorf("run %s: sources lacks %s", r.Name, f)
			}
		}
	}
	// run=__none__: the tables that can hold rows of no run, and only those.
	for _, spec := range Tables() {
		dir := filepath.Join(root, spec.Name, partitionDir(NoRun))
		if _, err := os.Stat(dir); (err == nil) != spec.Outside {
			t.Errorf("table %s: run=__none__ present %v, want %v", spec.Name, err == nil, spec.Outside)
		}
		if spec.Outside {
			total += read(spec.Name, NoRun).NumRows()
		}
	}
	outside := read("events", NoRun)
	if outside.NumRows() != int64(a.Outside.Len()) {
		t.Errorf("run=__none__ holds %d events, the analysis %d outside", outside.NumRows(), a.Outside.Len())
	}
	for i, f := range texts(t, outside, "file") {
		seen[eventKey{f, ints(t, outside, "line")[i]}] = true
	}
	// No event is dropped: every row of the parsed events table is in a
	// partition.
	tab := a.Events
	for r := int32(0); int(r) < tab.Len(); r++ {
		if e := tab.Event(r); !seen[eventKey{e.File(), e.Line()}] {
			t.Errorf("event %s:%d is in no partition", e.File(), e.Line())
		}
	}
	if tab.Len() < 7000 {
		t.Errorf("only %d events parsed from the samples", tab.Len())
	}
	var sumRows int64
	for _, n := range sum.Rows {
		sumRows += n
	}
	if sumRows != total || len(sum.Runs) != 6 {
		t.Errorf("summary says %d rows in %d runs, the files hold %d", sumRows, len(sum.Runs), total)
	}
	t.Logf("%d runs, %d files, %d bytes, %d rows; %d events", len(sum.Runs), sum.Files, sum.Bytes, total, tab.Len())
}

// tree maps every file under root (relative path) to its bytes.
func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportDeterministic(t *testing.T) {
	var trees []map[string][]byte
	for range 2 {
		an := analyzePaths(t, correlate.Options{}, nil, samples(t, "many-runs", "pool-exhaustion")...)
		root := t.TempDir()
		if _, err := Write(root, an.in, Options{}); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, tree(t, root))
	}
	if len(trees[0]) != len(trees[1]) {
		t.Fatalf("%d files, then %d", len(trees[0]), len(trees[1]))
	}
	for p, b := range trees[0] {
		if !bytes.Equal(b, trees[1][p]) {
			t.Errorf("%s differs between two exports of the same input", p)
		}
	}
}

// Nightly jobs export into one dataset: a run's re-export replaces its
// partitions, and leaves every other run's (and the other inputs'
// run=__none__ files) as they were.
func TestExportReplacesOnlyItsRuns(t *testing.T) {
	root := t.TempDir()
	many := analyzePaths(t, correlate.Options{}, nil, samples(t, "many-runs")...)
	if _, err := Write(root, many.in, Options{}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)
	pool := analyzePaths(t, correlate.Options{}, nil, samples(t, "pool-exhaustion")...)
	if _, err := Write(root, pool.in, Options{}); err != nil {
		t.Fatal(err)
	}
	after := tree(t, root)
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s changed when another folder was exported", p)
		}
	}
	noneFiles := 0
	for p := range after {
		if strings.HasPrefix(p, "events/run=__none__/") {
			noneFiles++
		}
	}
	if noneFiles != 2 {
		t.Errorf("%d run=__none__ event files, want one per input folder (2)", noneFiles)
	}

	// The same run again, decided differently (no --fail-on): only its
	// runs row changes, in place.
	pool.in.FailOn = nil
	if _, err := Write(root, pool.in, Options{}); err != nil {
		t.Fatal(err)
	}
	again := tree(t, root)
	if len(again) != len(after) {
		t.Errorf("re-export left %d files, want %d", len(again), len(after))
	}
	for p, b := range after {
		changed := !bytes.Equal(again[p], b)
		if want := p == "runs/run=hasil_test_pool_exhaustion/part-0.parquet"; changed != want {
			t.Errorf("%s changed %v, want %v", p, changed, want)
		}
	}
	tbl, _ := readParquet(t, filepath.Join(root, "runs", "run=hasil_test_pool_exhaustion", runFile))
	if v := texts(t, tbl, "verdict"); v[0] != "pass" {
		t.Errorf("verdict %q after the re-export without --fail-on, want pass", v[0])
	}
}

// A failure while a run is written leaves its previous partitions whole
// and no temporary file behind.
func TestExportFailureKeepsPrevious(t *testing.T) {
	root := t.TempDir()
	an := analyzePaths(t, correlate.Options{}, nil, samples(t, "pool-exhaustion")...)
	run := partitionDir("hasil_test_pool_exhaustion")
	old := filepath.Join(root, "events", run, runFile)
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, []byte("previous export"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The clocks table comes after events: make its file impossible to
	// write (a folder stands where it goes).
	if err := os.MkdirAll(filepath.Join(root, "clocks", run, runFile), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Write(root, an.in, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("error %v, want one about the folder in the way", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "previous export" {
		t.Errorf("the events partition was replaced by a run that failed: %.40q", b)
	}
	for p := range tree(t, root) {
		if strings.Contains(p, ".tmp") {
			t.Errorf("temporary file left behind: %s", p)
		}
		if strings.HasPrefix(p, "runs/") {
			t.Errorf("the failed run has a runs row: %s", p)
		}
	}
}

func TestExportRefusesLinks(t *testing.T) {
	root := t.TempDir()
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(root, "events")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	an := analyzePaths(t, correlate.Options{}, nil, samples(t, "pool-exhaustion")...)
	if _, err := Write(root, an.in, Options{}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("error %v, want a refusal of the link", err)
	}
	if ents, _ := os.ReadDir(elsewhere); len(ents) > 0 {
		t.Errorf("wrote through the link: %v", ents)
	}
}

// writeFiles makes a folder from name → content.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copySample copies a sample folder's files into files.
func copySample(t *testing.T, name string, files map[string]string) {
	t.Helper()
	root := filepath.Join("..", "samples", name)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Events in no run go to run=__none__ — those on the UTC clock outside
// every window, and those whose clock is unknown, with their wall clock —
// and with --run they are counted, not written.
func TestExportOutside(t *testing.T) {
	files := map[string]string{}
	copySample(t, "pool-exhaustion", files)
	// PgBouncer prints its zone: two days before the run, outside it.
	files["old/pgbouncer.log"] = "2026-11-27 09:00:01.000 WIB [101] LOG process up: PgBouncer 1.23.1, libevent 2.1.12-stable (epoll), adns: c-ares 1.34.5, tls: OpenSSL 3.5.4 30 Sep 2025\n"
	// And a PgBouncer log without zones, too short to infer its clock:
	// its records stay off the UTC clock.
	stats := " [101] LOG stats: 0 xacts/s, 0 queries/s, in 0 B/s, out 0 B/s, xact 0 us, query 0 us, wait 0 us\n"
	files["mystery.log"] = "2026-11-27 20:45:01.250" + stats + "2026-11-27 20:46:01.250" + stats + "2026-11-27 20:47:01.250" + stats
	wall := time.Date(2026, 11, 27, 20, 47, 1, 250000000, time.UTC)
	dir := writeFiles(t, files)

	an := analyzePaths(t, correlate.Options{}, nil, dir)
	a := an.in.Analysis
	root := t.TempDir()
	sum, err := Write(root, an.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Outside.Len() == 0 || sum.Outside != int64(a.Outside.Len()) {
		t.Fatalf("%d events outside, summary says %d", a.Outside.Len(), sum.Outside)
	}
	tbl, _ := readParquet(t, sum.OutsideFile)
	if tbl.NumRows() != int64(a.Outside.Len()) {
		t.Errorf("%s holds %d rows, want %d", sum.OutsideFile, tbl.NumRows(), a.Outside.Len())
	}
	fl := texts(t, tbl, "file")
	if !slices.Contains(fl, "old/pgbouncer.log") {
		t.Errorf("the old PgBouncer line is not in run=__none__: %v", fl)
	}
	tu, tl := col(t, tbl, "time_utc"), col(t, tbl, "time_unplaced")
	for i := range fl {
		e := a.Outside.At(i)
		if tu.IsNull(i) == e.Resolved() || tl.IsNull(i) != e.Resolved() {
			t.Errorf("row %d (%s:%d, resolved %v): time_utc null %v, time_unplaced null %v", i, fl[i], e.Line(), e.Resolved(), tu.IsNull(i), tl.IsNull(i))
		}
	}
	last := len(fl) - 1
	if fl[last] != "mystery.log" || !tu.IsNull(last) || tl.(*array.Timestamp).Value(last) != arrow.Timestamp(wall.UnixMicro()) {
		t.Errorf("the unplaced record: %s, time_utc %v, time_unplaced %v; want mystery.log, null, %s", fl[last], tu.ValueStr(last), tl.ValueStr(last), wall)
	}
	clocks := texts(t, readTableNoRun(t, root, "clocks"), "file")
	if !slices.Contains(clocks, "old/pgbouncer.log") {
		t.Errorf("the clock of the file no run used is not in run=__none__: %v", clocks)
	}

	sel := analyzePaths(t, correlate.Options{}, nil, dir)
	sel.in.Analysis.Select("hasil_test_pool*") // --run, as the pipeline applies it after the rules
	sel.in.Selected = "hasil_test_pool*"
	root2 := t.TempDir()
	sum2, err := Write(root2, sel.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.OutsideFile != "" || sum2.Outside != sum.Outside {
		t.Errorf("with --run: outside file %q, %d left out; want none written and %d counted", sum2.OutsideFile, sum2.Outside, sum.Outside)
	}
	for p := range tree(t, root2) {
		if strings.Contains(p, NoRun) {
			t.Errorf("with --run, %s was written", p)
		}
	}
}

func readTableNoRun(t *testing.T, root, table string) arrow.Table {
	t.Helper()
	tbl, _ := readParquet(t, partFile(t, root, table, NoRun))
	return tbl
}

// cells returns every value of every column of a table as text.
func cells(tbl arrow.Table) string {
	var b strings.Builder
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for c := 0; c < int(rec.NumCols()); c++ {
			for i := 0; i < rec.Column(c).Len(); i++ {
				b.WriteString(rec.Column(c).ValueStr(i))
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// A secret in a run name (which comes from a file name) and in a log line
// reaches no table and no path; with NoRedact both are there, so the
// check can fail.
func TestExportRedacts(t *testing.T) {
	files := map[string]string{}
	copySample(t, "pool-exhaustion", files)
	for name, body := range files {
		if strings.HasPrefix(name, "hasil_test_pool_exhaustion") {
			delete(files, name)
			files[strings.Replace(name, "hasil_test_pool_exhaustion", "hasil_test password=planted0secret", 1)] = body
		}
	}
	files["pgbouncer.log"] += "2026-11-29 20:46:20.000 WIB [101] LOG C-0x1: rabdb/rabapp@127.0.0.1:5555 password=planted1secret\n"
	dir := writeFiles(t, files)
	an := analyzePaths(t, correlate.Options{}, nil, dir)
	for _, noRedact := range []bool{false, true} {
		root := t.TempDir()
		if _, err := Write(root, an.in, Options{NoRedact: noRedact}); err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for p := range tree(t, root) {
			all.WriteString(p + "\n")
			tbl, _ := readParquet(t, filepath.Join(root, filepath.FromSlash(p)))
			all.WriteString(cells(tbl))
		}
		// The parsers masked the log line already (NoRedact there is the
		// parse stage's flag); the run name is the export's to mask.
		leaked := strings.Contains(all.String(), "planted0secret")
		if leaked != noRedact {
			t.Errorf("NoRedact %v: the run name's secret in the dataset: %v", noRedact, leaked)
		}
		if strings.Contains(all.String(), "planted1secret") {
			t.Errorf("NoRedact %v: the log line's secret reached the dataset", noRedact)
		}
		if !noRedact && !strings.Contains(all.String(), "run=hasil_test%20password%3D%5BREDACTED%5D") {
			t.Errorf("the masked run name's partition is missing")
		}
	}
}

func TestExportRefusesRunNames(t *testing.T) {
	cases := []struct {
		names []string
		want  string
	}{
		{[]string{"__none__"}, "reserved"},
		{[]string{"__HIVE_DEFAULT_PARTITION__"}, "reserved"},
		{[]string{"Nightly", "nightly"}, "share the partition folder"},
		{[]string{strings.Repeat("=", 90)}, "over the 255"},
		{[]string{"ok_run", "run/../../etc"}, ""},
	}
	for _, tc := range cases {
		var parts []*part
		for _, n := range tc.names {
			parts = append(parts, &part{run: n})
		}
		err := checkRunNames(parts)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q: error %v, want %q", tc.names, err, tc.want)
		}
	}
}

func ExampleTables() {
	for _, t := range Tables() {
		fmt.Print(t.Name, " ")
	}
	// Output: requests history failures exceptions events links clusters incidents findings evidence checks gates clocks sources runs
}

// A run whose folder differs only by case from a partition an earlier
// export left (`A` last night, `a` tonight) is refused before anything is
// written: a case-insensitive file system would make them one folder.
func TestExportRefusesCaseCollisionWithEarlierExport(t *testing.T) {
	root := t.TempDir()
	pool := analyzePaths(t, correlate.Options{}, nil, samples(t, "pool-exhaustion")...)
	if _, err := Write(root, pool.in, Options{}); err != nil {
		t.Fatal(err)
	}
	// Make it look as if last night's run was named in capitals.
	upper := "run=HASIL_TEST_POOL_EXHAUSTION"
	for _, tb := range Tables() {
		from := filepath.Join(root, tb.Name, "run=hasil_test_pool_exhaustion")
		if _, err := os.Stat(from); err == nil {
			if err := os.Rename(from, filepath.Join(root, tb.Name, upper)); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := tree(t, root)
	_, err := Write(root, pool.in, Options{})
	if err == nil || !strings.Contains(err.Error(), upper) || !strings.Contains(err.Error(), "only by case") {
		t.Fatalf("export over a case-colliding partition: err %v, want a refusal naming %s", err, upper)
	}
	after := tree(t, root)
	if len(after) != len(before) {
		t.Errorf("the refused export changed the dataset: %d files before, %d after", len(before), len(after))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s changed although the export was refused", p)
		}
	}
}
