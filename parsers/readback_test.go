package parsers

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/logcorr/logcorr/model/schema"
)

// Every events row's position reads back its record's first line exactly
// as the parse read it (its text column, unredacted), for every file of
// the corpus, gzip, UTF-16 and code pages included; the last line read is
// end_line's.
func TestReadLinesGivesTheRecord(t *testing.T) {
	targets := corpusFiles(t)
	// A gzip copy of a corpus log, so the decoded-stream path is read back.
	src := "../../shared/corpus/stack/pool_exhaustion/logs/django_errors.log"
	if raw, err := os.ReadFile(src); err == nil {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(raw)
		zw.Close()
		gz := filepath.Join(t.TempDir(), "django_errors.log.gz")
		if err := os.WriteFile(gz, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		targets = append(targets, Target{Path: gz, Name: "django_errors.log.gz"})
	}
	checked := map[string]int{}
	for _, tg := range targets {
		ds := Parse([]Target{tg}, Options{NoRedact: true})
		f := ds.Files[0]
		var refs []schema.Ref
		var texts []string
		for _, b := range ds.Tables[schema.TableEvents] {
			lines, ends, offs := b.Column(schema.EvLine).(*array.Int64), b.Column(schema.EvEndLine).(*array.Int64), b.Column(schema.EvOffset).(*array.Int64)
			text := b.Column(schema.EvText).(*array.String)
			for i := 0; i < int(b.NumRows()); i++ {
				if text.Value(i) == "" {
					continue // the record's first line was no longer held
				}
				refs = append(refs, schema.Ref{File: f.ID, Line: lines.Value(i), End: ends.Value(i), Offset: offs.Value(i)})
				texts = append(texts, text.Value(i))
			}
		}
		// Failure rows (the code-page fixtures have only those): the line
		// read back holds the row's error text.
		var frefs []schema.Ref
		var errs []string
		for _, b := range ds.Tables[schema.TableFailures] {
			lines, offs := b.Column(schema.RowLine).(*array.Int64), b.Column(schema.FaOffset).(*array.Int64)
			errc := b.Column(schema.FaError).(*array.String)
			src := b.Column(schema.RowSource).(*array.Dictionary)
			for i := 0; i < int(b.NumRows()); i++ {
				if src.GetValueIndex(i) != int(schema.OriginCSV) {
					continue // an HTML row starts at its <tr>
				}
				frefs = append(frefs, schema.Ref{File: f.ID, Line: lines.Value(i), End: lines.Value(i), Offset: offs.Value(i)})
				errs = append(errs, errc.Value(i))
			}
		}
		fgot, err := ReadLines(f, frefs)
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		for i := range frefs {
			if e := errs[i]; e != "" && !bytes.Contains(fgot[i][0], []byte(e)) && !bytes.Contains(fgot[i][0], []byte(e[:len(e)/2])) {
				t.Fatalf("%s:%d: read back %q, not its error %q", tg.Name, frefs[i].Line, fgot[i][0], e)
			}
		}
		checked[f.Encoding] += len(frefs)
		got, err := ReadLines(f, refs)
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		for i, r := range refs {
			if len(got[i]) != int(r.End-r.Line+1) || string(got[i][0]) != texts[i] {
				t.Fatalf("%s:%d: read back %d line(s), first %q; want %d, %q", tg.Name, r.Line, len(got[i]), first(got[i]), r.End-r.Line+1, texts[i])
			}
		}
		checked[f.Encoding] += len(refs)
		ds.Release()
	}
	for _, enc := range []string{"utf-8", "gzip/utf-8", "utf-16le(no bom)", "gbk(guessed)", "cp949(guessed)", "cp1251(guessed)"} {
		if checked[enc] == 0 {
			t.Errorf("no %s row read back (checked: %v)", enc, checked)
		}
	}
	t.Logf("rows read back by encoding: %v", checked)
}

func first(ls [][]byte) []byte {
	if len(ls) == 0 {
		return nil
	}
	return ls[0]
}

// A file changed since it was parsed is refused, not misquoted.
func TestReadLinesRefusesAChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runserver_8000.err.log")
	line := "[29/Nov/2026 18:57:27] \"GET /x HTTP/1.1\" 200 12\n"
	if err := os.WriteFile(path, []byte(line+line), 0o600); err != nil {
		t.Fatal(err)
	}
	ds := Parse([]Target{{Path: path, Name: "runserver_8000.err.log"}}, Options{})
	ref := schema.Ref{Line: 2, End: 2, Offset: int64(len(line))}
	if got, err := ReadLines(ds.Files[0], []schema.Ref{ref}); err != nil || string(got[0][0]) != line[:len(line)-1] {
		t.Fatalf("read back %q, %v", got, err)
	}
	if err := os.WriteFile(path, []byte("x\n"+line+line), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLines(ds.Files[0], []schema.Ref{ref}); err == nil {
		t.Fatal("a changed file was read back")
	}
}

// BenchmarkReadLines reads back every 25th record of a runserver log (the
// quotes a report cites are far apart): one small read per cited line,
// the buffer reused, no per-line buffer allocated.
func BenchmarkReadLines(b *testing.B) {
	path := "../../shared/corpus/stack/pool_exhaustion/logs/runserver_8000.err.log"
	if dir := os.Getenv("LOGCORR_BENCH_DIR"); dir != "" {
		path = filepath.Join(dir, "logs/runserver_8000.err.log")
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("corpus absent (%v)", err)
	}
	ds := Parse([]Target{{Path: path, Name: "runserver.log"}}, Options{Format: "runserver"})
	defer ds.Release()
	var refs []schema.Ref
	for _, rec := range ds.Tables[schema.TableEvents] {
		lines, ends := rec.Column(schema.EvLine).(*array.Int64), rec.Column(schema.EvEndLine).(*array.Int64)
		offs := rec.Column(schema.EvOffset).(*array.Int64)
		for i := 0; i < lines.Len(); i += 25 {
			refs = append(refs, schema.Ref{Line: lines.Value(i), End: ends.Value(i), Offset: offs.Value(i)})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadLines(ds.Files[0], refs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(refs)), "refs")
}
