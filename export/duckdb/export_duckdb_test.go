//go:build duckdb

// Package duckdb checks the exported dataset the way its users read it:
// with DuckDB, over the dataset that separate exports of the samples (one
// per folder, as nightly jobs would) wrote into one folder, against what
// `logcorr analyze --format json` says of the same folders.
//
// It is its own module so that the DuckDB library (a cgo static library
// of ~130 MB per platform) is never downloaded or compiled by the main
// build; run it with:
//
//	cd export/duckdb && go test -tags duckdb ./...
package duckdb

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/logcorr/logcorr/export"
)

var bin string // the logcorr binary under test

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "logcorr-duckdb")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "logcorr")
	// Built in the main module, as a user builds it.
	build := exec.Command("go", "build", "-o", bin, "./cmd/logcorr")
	build.Dir = filepath.Join("..", "..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building logcorr:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var sampleDirs = []string{"healthy", "pool-exhaustion", "rate-limited", "many-runs"}

func logcorr(t *testing.T, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 { // 1: a finding failed a run
		t.Fatalf("logcorr %q: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// runDoc is the part of a logcorr.analysis/v1 run the checks compare.
type runDoc struct {
	Name    string `json:"name"`
	Summary *struct {
		Requests   int64   `json:"requests"`
		Failures   int64   `json:"failures"`
		FailurePct float64 `json:"failure_pct"`
	} `json:"summary"`
	LinkStats struct {
		ServerErrors int64 `json:"server_errors"`
		WithPooler   int64 `json:"with_pooler_error"`
		PoolerTotal  int64 `json:"pooler_errors_total"`
	} `json:"link_stats"`
	Findings []struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
		Evidence []struct {
			File string `json:"file"`
			Line int64  `json:"line"`
		} `json:"evidence"`
	} `json:"findings"`
}

// dataset exports every sample folder into one dataset, one export per
// folder, and returns it with what analyze reports for each folder.
func dataset(t *testing.T) (string, map[string]runDoc) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "OUT")
	want := map[string]runDoc{}
	outside := int64(0)
	for _, s := range sampleDirs {
		dir := filepath.Join("..", "..", "samples", s)
		_, stderr := logcorr(t, "export", "--to", out, dir)
		if !strings.Contains(stderr, "exported") {
			t.Fatalf("export %s: %s", s, stderr)
		}
		for _, l := range strings.Split(stderr, "\n") {
			var n int64
			if _, err := fmt.Sscanf(l, "logcorr: %d event(s) outside every run", &n); err == nil {
				outside += n
			}
		}
		js, _ := logcorr(t, "analyze", "--format", "json", dir)
		var doc struct{ Runs []runDoc }
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range doc.Runs {
			want[r.Name] = r
		}
	}
	// Each export wrote its own run=__none__ file, holding the events it
	// said were outside every run.
	files, _ := filepath.Glob(filepath.Join(out, "events", "run=__none__", "part-*.parquet"))
	if len(files) != len(sampleDirs) {
		t.Fatalf("%d run=__none__ event files, want one per export (%d)", len(files), len(sampleDirs))
	}
	var n int64
	q := fmt.Sprintf("SELECT count(*) FROM read_parquet('%s/events/run=__none__/*.parquet')", filepath.ToSlash(out))
	if err := open(t).QueryRow(q).Scan(&n); err != nil || n != outside {
		t.Fatalf("run=__none__ holds %d events (%v); the exports said %d", n, err, outside)
	}
	return out, want
}

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// query runs q with OUT replaced by the dataset's path and returns the
// rows, logging them as a table (go test -v shows what DuckDB answered).
func query(t *testing.T, db *sql.DB, out, q string) [][]any {
	t.Helper()
	q = strings.ReplaceAll(q, "OUT/", filepath.ToSlash(out)+"/")
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var res [][]any
	var b strings.Builder
	b.WriteString(strings.Join(cols, " | ") + "\n")
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		res = append(res, vals)
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = fmt.Sprint(v)
		}
		b.WriteString(strings.Join(cells, " | ") + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s\n%s", strings.TrimSpace(strings.ReplaceAll(q, filepath.ToSlash(out)+"/", "OUT/")), b.String())
	return res
}

// FailuresAndPoolerErrors is the query the README shows: failures per run
// (Locust's side) joined with the PgBouncer pooler errors per run (the
// server's side), across every exported run.
const failuresAndPoolerErrors = `
SELECT r.run, r.requests, r.failures, r.failure_pct,
       count(e.kind) FILTER (WHERE e.kind = 'pooler_error') AS pooler_errors,
       r.pooler_errors_total, r.verdict
FROM read_parquet('OUT/runs/*/*.parquet', hive_partitioning = true) r
LEFT JOIN read_parquet('OUT/events/*/*.parquet', hive_partitioning = true) e USING (run)
GROUP BY ALL
ORDER BY r.run`

func TestDuckDBFailuresJoinPoolerErrors(t *testing.T) {
	out, want := dataset(t)
	db := open(t)
	rows := query(t, db, out, failuresAndPoolerErrors)
	if len(rows) != len(want) || len(rows) != 6 {
		t.Fatalf("%d runs in the dataset, analyze reports %d (want the samples' 6)", len(rows), len(want))
	}
	for _, r := range rows {
		name := r[0].(string)
		w, ok := want[name]
		if !ok || w.Summary == nil {
			t.Fatalf("run %s: analyze does not report it (or has no summary)", name)
		}
		got := []any{r[1], r[2], r[3], r[4], r[5]}
		exp := []any{w.Summary.Requests, w.Summary.Failures, w.Summary.FailurePct, w.LinkStats.PoolerTotal, w.LinkStats.PoolerTotal}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("run %s: requests, failures, failure_pct, pooler errors (events, runs) = %v; analyze says %v", name, got, exp)
		}
	}
	// The one run whose pool ran out: the dataset's count is grep's.
	pgb, err := os.ReadFile(filepath.Join("..", "..", "samples", "pool-exhaustion", "pgbouncer.log"))
	if err != nil {
		t.Fatal(err)
	}
	grep := int64(strings.Count(string(pgb), "pooler error"))
	for _, r := range rows {
		if r[0] == "hasil_test_pool_exhaustion" && (r[4] != grep || r[2] != int64(49) || r[6] != "fail") {
			t.Errorf("pool exhaustion: %d pooler errors (grep counts %d), %v failures, verdict %v", r[4], grep, r[2], r[6])
		}
	}
}

func TestDuckDBFindingsAndLinks(t *testing.T) {
	out, want := dataset(t)
	db := open(t)
	// The findings, in the report's order, with their first cited line.
	rows := query(t, db, out, `
SELECT f.run, f.position, f.id, f.severity, e.file, e.line
FROM read_parquet('OUT/findings/*/*.parquet', hive_partitioning = true) f
LEFT JOIN read_parquet('OUT/evidence/*/*.parquet', hive_partitioning = true) e
  ON e.run = f.run AND e.finding_position = f.position AND e.position = 0
WHERE f.run <> '__none__'
ORDER BY f.run, f.position`)
	got := map[string][]string{}
	for _, r := range rows {
		ref := ""
		if r[4] != nil {
			ref = fmt.Sprintf("%s:%d", r[4], r[5])
		}
		got[r[0].(string)] = append(got[r[0].(string)], r[2].(string)+" "+r[3].(string)+" "+ref)
	}
	for name, w := range want {
		var exp []string
		for _, f := range w.Findings {
			ref := ""
			if len(f.Evidence) > 0 {
				ref = fmt.Sprintf("%s:%d", f.Evidence[0].File, f.Evidence[0].Line)
			}
			exp = append(exp, f.ID+" "+f.Severity+" "+ref)
		}
		if !reflect.DeepEqual(got[name], exp) {
			t.Errorf("run %s: findings\n got %q\nwant %q", name, got[name], exp)
		}
	}
	// Each 5xx and what it was linked to, per run.
	rows = query(t, db, out, `
SELECT run, count(*) AS server_errors, count(pooler_file) AS with_pooler_error,
       round(avg(pooler_delta_ms)) AS avg_pooler_delta_ms
FROM read_parquet('OUT/links/*/*.parquet', hive_partitioning = true)
GROUP BY run ORDER BY run`)
	linked := map[string]bool{}
	for _, r := range rows {
		w := want[r[0].(string)]
		linked[w.Name] = true
		if r[1] != w.LinkStats.ServerErrors || r[2] != w.LinkStats.WithPooler {
			t.Errorf("run %s: %v server errors, %v with a pooler error; analyze says %d, %d", r[0], r[1], r[2], w.LinkStats.ServerErrors, w.LinkStats.WithPooler)
		}
	}
	for name, w := range want {
		if w.LinkStats.ServerErrors > 0 && !linked[name] {
			t.Errorf("run %s: analyze links %d server errors, the dataset none", name, w.LinkStats.ServerErrors)
		}
	}
	// Every event sits inside its run's window (widened by the margin).
	rows = query(t, db, out, `
SELECT count(*) AS outside_window
FROM read_parquet('OUT/events/*/*.parquet', hive_partitioning = true) e
JOIN read_parquet('OUT/runs/*/*.parquet', hive_partitioning = true) r USING (run)
WHERE e.time_utc < r.start - INTERVAL 2 MINUTE OR e.time_utc > r."end" + INTERVAL 2 MINUTE OR e.time_utc IS NULL`)
	if rows[0][0] != int64(0) {
		t.Errorf("%v events lie outside their run's window", rows[0][0])
	}
}

// duckType is what DuckDB calls each contract type (docs/schema.md).
var duckType = map[export.Kind]string{
	export.KindString: "VARCHAR", export.KindInt64: "BIGINT", export.KindFloat64: "DOUBLE", export.KindBool: "BOOLEAN",
	export.KindTimeUTC: "TIMESTAMP WITH TIME ZONE", export.KindTimeLocal: "TIMESTAMP", export.KindStringList: "VARCHAR[]",
	export.KindStringMap: "MAP(VARCHAR, VARCHAR)", export.KindInt64Map: "MAP(VARCHAR, BIGINT)", export.KindFloat64Map: "MAP(VARCHAR, DOUBLE)",
}

// Every table reads with the documented column names and types, and the
// run column read from the files equals the partition value.
func TestDuckDBSchemas(t *testing.T) {
	out, _ := dataset(t)
	db := open(t)
	for _, tb := range export.Tables() {
		glob := filepath.ToSlash(filepath.Join(out, tb.Name)) + "/*/*.parquet"
		rows, err := db.Query(fmt.Sprintf("DESCRIBE SELECT * FROM read_parquet('%s', hive_partitioning = false)", glob))
		if err != nil {
			t.Fatalf("%s: %v", tb.Name, err)
		}
		var got []string
		for rows.Next() {
			var name, typ string
			var x1, x2, x3, x4 any
			if err := rows.Scan(&name, &typ, &x1, &x2, &x3, &x4); err != nil {
				t.Fatal(err)
			}
			got = append(got, name+" "+typ)
		}
		rows.Close()
		var exp []string
		for _, c := range tb.Columns {
			exp = append(exp, c.Name+" "+duckType[c.Kind])
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("table %s as DuckDB reads it:\n got %q\nwant %q", tb.Name, got, exp)
		}
		var mismatched int64
		q := fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s', hive_partitioning = false, filename = true)
			WHERE run <> url_decode(regexp_extract(filename, 'run=([^/]*)/', 1))`, glob)
		if err := db.QueryRow(q).Scan(&mismatched); err != nil {
			t.Fatalf("%s: %v", tb.Name, err)
		}
		if mismatched != 0 {
			t.Errorf("table %s: %d rows whose run column differs from their folder", tb.Name, mismatched)
		}
	}
}

// A run whose name holds what a path must not (it comes from a file
// name) reads back under its own name through DuckDB's hive decoding.
func TestDuckDBEscapedRunName(t *testing.T) {
	src := filepath.Join("..", "..", "samples", "pool-exhaustion")
	dir := t.TempDir()
	const name = "nightly 1=ok%20:ü..x"
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), "hasil_test_pool_exhaustion") {
			continue // only the run's Locust files (locust.log names the run too)
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Replace(e.Name(), "hasil_test_pool_exhaustion", name, 1)
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "OUT")
	logcorr(t, "export", "--to", out, dir)
	db := open(t)
	rows := query(t, db, out, `SELECT run, requests FROM read_parquet('OUT/runs/*/*.parquet', hive_partitioning = true, hive_types = {'run': 'VARCHAR'})`)
	if len(rows) != 1 || rows[0][0] != name {
		t.Errorf("DuckDB reads the run as %v, want %q", rows, name)
	}
	folders, _ := filepath.Glob(filepath.Join(out, "runs", "run=*"))
	if len(folders) != 1 || strings.ContainsAny(filepath.Base(folders[0])[4:], " =:") {
		t.Errorf("partition folders %v", folders)
	}
}

// docQueries returns the SQL statements of the ```sql blocks of a
// document between two markers: the README's dataset section up to its
// Spark SQL part, and docs/schema.md's "Reading it" up to the Spark part.
func docQueries(t *testing.T, doc, from, to string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", doc))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, from)
	j := strings.Index(s[max(i, 0):], to)
	if i < 0 || j < 0 {
		t.Fatalf("%s: no section from %q to %q", doc, from, to)
	}
	var out []string
	for _, block := range strings.Split(s[i:i+j], "```sql\n")[1:] {
		body, _, _ := strings.Cut(block, "```")
		for _, stmt := range strings.Split(body, ";\n") {
			if strings.TrimSpace(stmt) != "" {
				out = append(out, stmt)
			}
		}
	}
	return out
}

// The documentation's DuckDB examples run on the samples' dataset and
// answer something: an example that would fail is caught here.
func TestDuckDBDocumentedQueries(t *testing.T) {
	out, _ := dataset(t)
	db := open(t)
	readme := docQueries(t, "README.md", "## Months of runs", "Spark SQL")
	schema := docQueries(t, "docs/schema.md", "## Reading it", "DuckDB infers")
	if len(readme) < 5 || len(schema) < 1 {
		t.Fatalf("%d DuckDB statements in the README (want its 5), %d in docs/schema.md (want 1)", len(readme), len(schema))
	}
	for _, q := range append(readme, schema...) {
		if rows := query(t, db, out, q); len(rows) == 0 {
			t.Errorf("no rows from the documented\n%s", q)
		}
	}
}

// Every row group of the events files carries time_utc's min and max
// (Parquet column statistics), which DuckDB reads: a time filter over a
// year of nightly exports skips the files outside the range unread. The
// bounds are checked against the values themselves.
func TestDuckDBReadsTimeStatistics(t *testing.T) {
	out, _ := dataset(t)
	db := open(t)
	glob := filepath.ToSlash(filepath.Join(out, "events")) + "/*/*.parquet"
	q := fmt.Sprintf(`SELECT file_name, row_group_id, stats_min_value, stats_max_value, stats_null_count
		FROM parquet_metadata('%s') WHERE path_in_schema = 'time_utc' ORDER BY file_name, row_group_id`, glob)
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	groups := 0
	for rows.Next() {
		var file string
		var group int64
		var lo, hi sql.NullString
		var nulls sql.NullInt64
		if err := rows.Scan(&file, &group, &lo, &hi, &nulls); err != nil {
			t.Fatal(err)
		}
		groups++
		if !nulls.Valid {
			t.Errorf("%s group %d: no null count for time_utc", file, group)
		}
		var min, max sql.NullString
		var n int64
		check := fmt.Sprintf(`SELECT min(time_utc)::VARCHAR, max(time_utc)::VARCHAR, count(*) FILTER (WHERE time_utc IS NULL)
			FROM read_parquet('%s', hive_partitioning = false)`, file)
		if err := db.QueryRow(check).Scan(&min, &max, &n); err != nil {
			t.Fatal(err)
		}
		if nulls.Int64 != n {
			t.Errorf("%s: statistics say %d null time_utc, the rows %d", file, nulls.Int64, n)
		}
		if min.Valid != lo.Valid || (min.Valid && (!strings.HasPrefix(lo.String, min.String[:19]) || !strings.HasPrefix(hi.String, max.String[:19]))) {
			t.Errorf("%s: statistics [%v, %v], the rows [%v, %v]", file, lo, hi, min, max)
		}
	}
	if groups == 0 {
		t.Fatal("no time_utc column chunk in the events files")
	}
}
