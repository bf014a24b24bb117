package parsers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/logcorr/logcorr/model/schema"
)

// corpusSets are the inputs the dataset tests parse: every sample, the
// stack captures, the ahsp runs, the hostile and the public fixtures.
func corpusSets(t testing.TB) [][]string {
	t.Helper()
	var sets [][]string
	for _, glob := range []string{"../samples/*", "../../shared/corpus/stack/*", "../../shared/corpus/ahsp"} {
		dirs, _ := filepath.Glob(glob)
		for _, d := range dirs {
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				sets = append(sets, []string{d})
			}
		}
	}
	for _, glob := range []string{"../testdata/hostile/*", "testdata/public/*", "testdata/*.log"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if ext := filepath.Ext(f); ext != ".yaml" && ext != ".md" {
				sets = append(sets, []string{f})
			}
		}
	}
	if len(sets) < 20 {
		t.Skipf("corpus absent: %d input sets found", len(sets))
	}
	return sets
}

// rowsJSON reads a table's rows as JSON objects (dictionary columns as
// their values), so tables of different physical types compare.
func rowsJSON(t testing.TB, recs ...arrow.RecordBatch) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range recs {
		if r == nil {
			continue
		}
		var buf bytes.Buffer
		if err := array.RecordToJSON(r, &buf); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(&buf)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
	}
	return out
}

// Parse gives the same rows and audits as the struct path (ParseAll), for
// every input of the corpus: the Dataset is a re-encoding, not a re-parse.
func TestParseMatchesParseAll(t *testing.T) {
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		old := ParseAll(targets, Options{})
		ds := Parse(targets, Options{})
		if got := ds.Audits(); !reflect.DeepEqual(got, old.Audits) && len(got)+len(old.Audits) > 0 {
			t.Errorf("%v: audits differ", set)
		}
		if !reflect.DeepEqual(ds.Messages, old.Messages) {
			t.Errorf("%v: messages differ: %q vs %q", set, ds.Messages, old.Messages)
		}
		for tb := range schema.NumTables {
			got, want := rowsJSON(t, ds.Tables[tb]...), rowsJSON(t, old.Tables[tb.String()])
			if len(got) != len(want) {
				t.Errorf("%v %s: %d rows, ParseAll %d", set, tb, len(got), len(want))
				continue
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("%v %s row %d:\n got %v\nwant %v", set, tb, i, got[i], want[i])
					break
				}
			}
		}
		old.Release()
		ds.Release()
	}
}

// The Dataset's invariants: each batch holds one file's rows, File.Rows
// finds them, each Dict column has one dictionary in every batch of its
// table, a BatchDict column one per batch holding each value once, Enum
// columns have their fixed dictionaries.
func TestDatasetInvariants(t *testing.T) {
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		ds := Parse(targets, Options{})
		for tb := range schema.NumTables {
			sch := tb.Schema()
			first := map[int]arrow.ArrayData{}
			pairDicts := map[[2]int]arrow.ArrayData{} // attrs: (column, keys 0 / values 1)
			var row int64
			fi := 0
			for _, b := range ds.Tables[tb] {
				if !b.Schema().Equal(sch) {
					t.Fatalf("%v %s: batch schema %s", set, tb, b.Schema())
				}
				files := b.Column(sch.FieldIndices("file")[0]).(*array.Dictionary)
				id := files.GetValueIndex(0)
				for i := 1; i < files.Len(); i++ {
					if files.GetValueIndex(i) != id {
						t.Fatalf("%v %s: a batch holds two files' rows", set, tb)
					}
				}
				for fi < len(ds.Files) && ds.Files[fi].Rows[tb].End <= row {
					fi++
				}
				if fi != id || ds.Files[fi].Rows[tb].Start > row || ds.Files[fi].Rows[tb].End < row+b.NumRows() {
					t.Fatalf("%v %s: rows %d.. of file %d are not in File.Rows of file %d %+v", set, tb, row, id, fi, ds.Files[fi].Rows[tb])
				}
				row += b.NumRows()
				for c, f := range sch.Fields() {
					d, ok := b.Column(c).(*array.Dictionary)
					if !ok {
						continue
					}
					if f.Type == schema.BatchDict {
						// Its own dictionary per batch: each value once.
						vals, seen := d.Dictionary().(*array.String), map[string]bool{}
						for k := 0; k < vals.Len(); k++ {
							if seen[vals.Value(k)] {
								t.Errorf("%v %s.%s: %q twice in a batch's dictionary", set, tb, f.Name, vals.Value(k))
								break
							}
							seen[vals.Value(k)] = true
						}
						continue
					}
					if f.Type == schema.Attrs {
						// Its batch's distinct maps, each once; their keys'
						// and values' dictionaries the table's.
						m, seen := d.Dictionary().(*array.Map), map[string]bool{}
						for k := 0; k < m.Len(); k++ {
							lo, hi := m.ValueOffsets(k)
							key := fmt.Sprint(m.Keys().(*array.Dictionary).Indices().(*array.Int32).Int32Values()[lo:hi],
								m.Items().(*array.Dictionary).Indices().(*array.Int32).Int32Values()[lo:hi])
							if seen[key] {
								t.Errorf("%v %s.%s: map %d twice in a batch's dictionary", set, tb, f.Name, k)
								break
							}
							seen[key] = true
						}
						for i, kid := range []arrow.Array{m.Keys(), m.Items()} {
							kd := kid.(*array.Dictionary).Dictionary().Data()
							if p, ok := pairDicts[[2]int{c, i}]; ok && p != kd {
								t.Errorf("%v %s.%s: two key or value dictionaries in one table", set, tb, f.Name)
							}
							pairDicts[[2]int{c, i}] = kd
						}
						continue
					}
					if f.Type == schema.Enum && d.Dictionary().Data() != schema.EnumDictionary(tb, f.Name).Data() {
						t.Errorf("%v %s.%s: not the fixed dictionary", set, tb, f.Name)
					}
					if p, ok := first[c]; ok && p != d.Dictionary().Data() {
						t.Errorf("%v %s.%s: two dictionaries in one table", set, tb, f.Name)
					}
					first[c] = d.Dictionary().Data()
				}
			}
			if row != ds.Rows(tb) {
				t.Errorf("%v %s: Rows %d, batches %d", set, tb, ds.Rows(tb), row)
			}
		}
		ds.Release()
	}
}

// Every events row's offset is where its line starts: the bytes before it
// hold line-1 line ends (plain files, where the decoded stream is the
// file).
func TestEventOffsetsFindTheLine(t *testing.T) {
	checked := 0
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		ds := Parse(targets, Options{})
		for _, b := range ds.Tables[schema.TableEvents] {
			files := b.Column(schema.EvFile).(*array.Dictionary)
			lines := b.Column(schema.EvLine).(*array.Int64)
			offs := b.Column(schema.EvOffset).(*array.Int64)
			f := ds.Files[files.GetValueIndex(0)]
			if f.Encoding != "utf-8" {
				continue
			}
			raw, err := os.ReadFile(f.Open)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < int(b.NumRows()); i++ {
				off, line := offs.Value(i), lines.Value(i)
				if off > int64(len(raw)) || int64(bytes.Count(raw[:off], []byte("\n"))) != line-1 || (off > 0 && raw[off-1] != '\n') {
					t.Fatalf("%s:%d: offset %d is not the line's start", f.Path, line, off)
				}
				checked++
			}
		}
		ds.Release()
	}
	if checked == 0 {
		t.Fatal("no event checked")
	}
}

// The parsers' kind strings are the vocabulary's names.
func TestKindNamesAreTheVocabulary(t *testing.T) {
	for _, k := range []string{KindLog, KindRequest, KindServerError, KindTraceback, KindUnhandled, KindForbidden,
		KindClientError, KindAuthRequest, KindAuthResponse, KindAuthFailure, KindLoginFailure, KindPoolConfig,
		KindPoolerError, KindClosing, KindLoginAttempt, KindNewConnection, KindStats, KindBanner, KindCommandLine, "stats_table"} {
		if v, ok := schema.ParseEventKind(k); !ok || v.String() != k {
			t.Errorf("kind %q is not in the vocabulary", k)
		}
	}
	for _, f := range Formats() {
		if v, ok := schema.ParseSourceKind(f.Name()); !ok || v.String() != f.Name() {
			t.Errorf("format %q is not a SourceKind", f.Name())
		}
	}
	for _, l := range append(append(pyLevels[:], pgbLevels...), lcLevels...) {
		if _, ok := schema.ParseLevel(l); !ok {
			t.Errorf("level %q is not in the vocabulary", l)
		}
	}
}

// Every buffer of every batch is as large as its content: the column
// buffers grow while a batch is built, and the batch kept for the run is
// a copy at the exact size, so no slack is held.
func TestBatchesHoldNoSlack(t *testing.T) {
	var check func(set []string, tb schema.Table, col string, d arrow.ArrayData)
	check = func(set []string, tb schema.Table, col string, d arrow.ArrayData) {
		for i, b := range d.Buffers() {
			if b != nil && cap(b.Buf()) != b.Len() {
				t.Fatalf("%v %s.%s buffer %d: %d bytes held for %d", set, tb, col, i, cap(b.Buf()), b.Len())
			}
		}
		for _, k := range d.Children() {
			check(set, tb, col, k)
		}
	}
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		ds := Parse(targets, Options{})
		for tb := range schema.NumTables {
			for _, b := range ds.Tables[tb] {
				for c, f := range b.Schema().Fields() {
					check(set, tb, f.Name, b.Column(c).Data())
				}
			}
		}
		ds.Release()
	}
}

// DatasetOf writes hand-made rows as Parse would: for every corpus input,
// the struct path's results give the same rows as Assemble's tables, with
// the Dataset's invariants (one file per batch, File.Rows).
func TestDatasetOfIsAssemble(t *testing.T) {
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		var results []*Result
		for _, tg := range targets {
			results = append(results, ParseFile(tg.Path, tg.Name, Options{}))
		}
		old := Assemble(results)
		ds := DatasetOf(results)
		for tb := range schema.NumTables {
			got, want := rowsJSON(t, ds.Tables[tb]...), rowsJSON(t, old.Tables[tb.String()])
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v %s: %d rows differ from Assemble's %d", set, tb, len(got), len(want))
			}
			for _, b := range ds.Tables[tb] {
				files := b.Column(b.Schema().FieldIndices("file")[0]).(*array.Dictionary)
				id := files.GetValueIndex(0)
				if ds.Files[id].Path != files.Dictionary().(*array.String).Value(id) {
					t.Errorf("%v %s: file %d is %q in the file table", set, tb, id, ds.Files[id].Path)
				}
			}
		}
		old.Release()
		ds.Release()
	}
}

// OmitAuth leaves the auth table empty and changes nothing else: the same
// audits (their per-table counts included), messages and other tables.
func TestOmitAuth(t *testing.T) {
	authRows := 0
	for _, set := range corpusSets(t) {
		targets, _ := Discover(set, Options{})
		full, lean := Parse(targets, Options{}), Parse(targets, Options{OmitAuth: true})
		if !reflect.DeepEqual(full.Audits(), lean.Audits()) || !reflect.DeepEqual(full.Messages, lean.Messages) {
			t.Errorf("%v: audits or messages differ", set)
		}
		for tb := range schema.NumTables {
			got, want := rowsJSON(t, lean.Tables[tb]...), rowsJSON(t, full.Tables[tb]...)
			if tb == schema.TableAuth {
				authRows += len(want)
				if len(got) != 0 {
					t.Errorf("%v: %d auth rows written", set, len(got))
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v %s: rows differ", set, tb)
			}
		}
		full.Release()
		lean.Release()
	}
	if authRows == 0 {
		t.Fatal("no input of the corpus has auth rows: the test shows nothing")
	}
}
