package report

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/logcorr/logcorr/parsers"
)

func TestWriteTablesRoundTrip(t *testing.T) {
	ds := v18Dataset()
	defer ds.Release()
	for _, ext := range []string{".arrow", ".parquet"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			files, err := WriteTables(filepath.Join(dir, "out"+ext), ds, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"events", "locust_stats", "locust_history", "locust_failures"}
			if len(files) != len(want) {
				t.Fatalf("wrote %v, want one file per non-empty table %v", files, want)
			}
			for i, name := range want {
				if files[i] != filepath.Join(dir, "out."+name+ext) {
					t.Errorf("file %d = %s, want out.%s%s", i, files[i], name, ext)
				}
			}
			stats := readBack(t, files[1], ext)
			if len(stats) != 2 {
				t.Fatalf("locust_stats: %d rows read back, want 2", len(stats))
			}
			agg := stats[1]
			if agg.Name != "Aggregated" || agg.Requests != 7064 || agg.Failures != 45 || *agg.P95 != 2100 || *agg.RPS != 23.609392531165046 {
				t.Errorf("Aggregated row read back as %+v", agg)
			}
			if stats[0].Median == nil || *stats[0].Median != 73 || stats[0].Name != "[AUTH] Login POST" {
				t.Errorf("Login POST row read back as %+v", stats[0])
			}
		})
	}
}

func readBack(t *testing.T, path, ext string) []parsers.StatRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switch ext {
	case ".arrow":
		r, err := ipc.NewFileReader(f)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var rows []parsers.StatRow
		for i := 0; i < r.NumRecords(); i++ {
			rec, err := r.RecordBatch(i)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parsers.FromRecord[parsers.StatRow](rec)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, got...)
		}
		return rows
	default:
		tbl, err := pqarrow.ReadTable(context.Background(), f, nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		defer tbl.Release()
		tr := array.NewTableReader(tbl, -1)
		defer tr.Release()
		var rows []parsers.StatRow
		for tr.Next() {
			got, err := parsers.FromRecord[parsers.StatRow](tr.RecordBatch())
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, got...)
		}
		return rows
	}
}

func TestWriteTablesJSONL(t *testing.T) {
	ds := v18Dataset()
	defer ds.Release()
	dir := t.TempDir()
	files, err := WriteTables(filepath.Join(dir, "t.jsonl"), ds, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(files[0]) // events
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, sc.Text())
		}
		if row["table"] != "events" || row["time"] != "2026-01-11T04:42:30Z" || row["status"] != float64(500) || row["duration_ms"] != nil {
			t.Errorf("row %s", sc.Text())
		}
		if !strings.Contains(sc.Text(), `"attrs":{"a":"1","b":"2"}`) {
			t.Errorf("attrs not an object with sorted keys: %s", sc.Text())
		}
	}
	if n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
}

func TestWriteTablesRefuses(t *testing.T) {
	ds := v18Dataset()
	defer ds.Release()
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "o.locust_stats.arrow")); err != nil {
		t.Skip("symbolic links unsupported here:", err)
	}
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing", "o.arrow"), "does not exist"},
		{filepath.Join(dir, "o.csv"), "unknown table format"},
		{filepath.Join(dir, "o.arrow"), "symbolic link"},
	}
	for _, c := range cases {
		files, err := WriteTables(c.path, ds, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("WriteTables(%s) = %v, %v; want error containing %q", c.path, files, err, c.want)
		}
		if len(files) != 0 {
			t.Errorf("WriteTables(%s) wrote %v before refusing", c.path, files)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("symlink target was overwritten: %q", b)
	}
}
