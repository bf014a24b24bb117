package parsers

import (
	"os"
	"runtime"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/perf"
)

// fileTables is what parsing one file wrote: per table, its writers in
// row order (one, or one per chunk of a file parsed in chunks), none for a
// table the file has no rows of.
type fileTables struct {
	w     [schema.NumTables][]*tableWriter
	cache *colCache // shared by the Parse call's files
	// splitFrom is the size from which the file holds more than a core's
	// share of the Parse call's bytes (dominantFrom).
	splitFrom int64
}

// dominant is splitFrom, 0 for the struct path (no tables).
func (f *fileTables) dominant() int64 {
	if f == nil {
		return 0
	}
	return f.splitFrom
}

func (f *fileTables) writer(t schema.Table, id schema.FileID) *tableWriter {
	if n := len(f.w[t]); n > 0 {
		return f.w[t][n-1]
	}
	w := newTableWriter(t, id, f.cache)
	f.w[t] = append(f.w[t], w)
	return w
}

func (f *fileTables) finish() {
	for _, ws := range f.w {
		for _, w := range ws {
			if w.cols != nil {
				w.finish()
			}
		}
	}
}

// Parse parses every target, in parallel, into the Dataset the stages
// after parsing read: the file table (FileID = index in targets) and each
// table's record batches, in file then line order. The same targets give
// the same Dataset, whatever the scheduling.
func Parse(targets []Target, opt Options) *schema.Dataset {
	files := make([]schema.File, len(targets))
	outs := make([]*fileTables, len(targets))
	results := make([]*Result, len(targets))
	for i, t := range targets {
		files[i] = schema.File{ID: schema.FileID(i), Path: t.Name, Open: t.Path, Root: t.Root}
		if st, err := os.Stat(t.Path); err == nil {
			files[i].Size, files[i].ModTime = st.Size(), st.ModTime()
		}
	}
	cache := &colCache{}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	split := dominantFrom(total, runtime.GOMAXPROCS(0))
	eachTarget(targets, opt, func(i int, r *Result) { results[i], outs[i] = r, &fileTables{cache: cache} }, func(i int, t Target) {
		out := &fileTables{cache: cache, splitFrom: split}
		timer := perf.StartTimer()
		results[i] = parseFile(t.Path, t.Name, schema.FileID(i), opt, out)
		// Every table but stats is complete once the file is parsed
		// (stats rows wait for mergeDistributions, below): cutting its
		// last batches now gives the column buffers back to the cache
		// for the next file, instead of every file of a folder of small
		// CSVs growing buffers of its own, all held until the end.
		out.finish()
		files[i].ParseTime = timer.Elapsed()
		outs[i] = out
	})
	ds := &schema.Dataset{Messages: mergeDistributions(results)}
	for i, r := range results {
		if len(r.Stats) > 0 { // a writer only for a file with rows of the table
			w := outs[i].writer(schema.TableStats, schema.FileID(i))
			for j := range r.Stats {
				writeStat(w, &r.Stats[j])
			}
		}
		r.Stats = nil
		outs[i].finish()
		files[i].Audit = r.Audit
		files[i].Format = sourceOf(r.Audit.Format)
		files[i].Encoding = r.Audit.Encoding
	}
	ds.Files = files
	assemble(ds, outs)
	return ds
}

// assemble turns the files' physical batches into ds.Tables: each Dict
// column gets one dictionary per table, its values numbered in
// first-appearance order over the files in FileID order, so the result
// does not depend on which file finished first; Enum columns get their
// fixed dictionaries; the file column the file table's paths.
func assemble(ds *schema.Dataset, outs []*fileTables) {
	paths := array.NewStringBuilder(memory.DefaultAllocator)
	for _, f := range ds.Files {
		paths.Append(f.Path)
	}
	fileDict := paths.NewArray()
	paths.Release()
	defer fileDict.Release()
	for t := range schema.NumTables {
		sch := t.Schema()
		nc := sch.NumFields()
		// The table's dictionaries: one per Dict column, two (keys and
		// values) per attrs column.
		global, gkeys, gvals := make([]*interner, nc), make([]*interner, nc), make([]*interner, nc)
		for c, f := range sch.Fields() {
			switch {
			case f.Type == schema.Dict && f.Name != "file":
				global[c] = &interner{}
			case f.Type == schema.Attrs:
				gkeys[c], gvals[c] = &interner{}, &interner{}
			}
		}
		type pending struct {
			cols []arrow.Array
			rows int64
		}
		var batches []pending
		var row int64
		same := constIndices{}
		for i, o := range outs {
			start := row
			for _, w := range o.w[t] {
				remap, kmap, vmap := make([][]int32, nc), make([][]int32, nc), make([][]int32, nc)
				for c := range nc {
					switch {
					case global[c] != nil:
						remap[c] = remapOf(global[c], w.dicts[c])
					case gkeys[c] != nil:
						kmap[c], vmap[c] = remapOf(gkeys[c], &w.attrs[c].keys), remapOf(gvals[c], &w.attrs[c].vals)
					}
				}
				for _, pb := range w.done {
					cols := make([]arrow.Array, nc)
					for c := range nc {
						col := pb.Column(c)
						if remap[c] != nil {
							remapInPlace(col.(*array.Int32), remap[c])
						}
						if gkeys[c] != nil {
							m := col.(*array.Dictionary).Dictionary().(*array.Map)
							remapInPlace(m.Keys().(*array.Int32), kmap[c])
							remapInPlace(m.Items().(*array.Int32), vmap[c])
						}
						if sch.Field(c).Type == schema.Dict {
							if k := same.view(col.(*array.Int32)); k != nil {
								cols[c] = k
								continue
							}
						}
						col.Retain()
						cols[c] = col
					}
					batches = append(batches, pending{cols, pb.NumRows()})
					row += pb.NumRows()
				}
				w.release()
			}
			ds.Files[i].Rows[t] = schema.RowRange{Start: start, End: row}
		}
		dicts, kdicts, vdicts := make([]arrow.Array, nc), make([]arrow.Array, nc), make([]arrow.Array, nc)
		for c, f := range sch.Fields() {
			switch {
			case f.Type == schema.Enum:
				dicts[c] = schema.EnumDictionary(t, f.Name)
				dicts[c].Retain()
			case f.Type == schema.Dict && f.Name == "file":
				dicts[c] = fileDict
				fileDict.Retain()
			case f.Type == schema.Dict:
				dicts[c] = stringArray(global[c].vals)
			case f.Type == schema.Attrs:
				kdicts[c], vdicts[c] = stringArray(gkeys[c].vals), stringArray(gvals[c].vals)
			}
		}
		for _, p := range batches {
			for c := range nc {
				var col arrow.Array
				switch {
				case dicts[c] != nil:
					col = array.NewDictionaryArray(sch.Field(c).Type, p.cols[c], dicts[c])
				case kdicts[c] != nil:
					col = dictMap(p.cols[c].(*array.Dictionary), kdicts[c], vdicts[c])
				default:
					continue
				}
				p.cols[c].Release()
				p.cols[c] = col
			}
			ds.Tables[t] = append(ds.Tables[t], array.NewRecordBatch(sch, p.cols, p.rows))
			for _, c := range p.cols {
				c.Release()
			}
		}
		for _, ds := range [][]arrow.Array{dicts, kdicts, vdicts} {
			for _, d := range ds {
				if d != nil {
					d.Release()
				}
			}
		}
	}
}

// remapOf numbers a writer's values in the table's dictionary g: local
// id k becomes m[k]; nil when every id stays.
func remapOf(g *interner, local *interner) []int32 {
	m := make([]int32, len(local.vals))
	if g.ids == nil {
		// The table's dictionary holds at least the largest writer's
		// values: sized for them at once, it does not grow through every
		// doubling on the way (a key=value log with a request id per
		// line: 600k values, -4 % wall and -6 % peak on 131 MB).
		g.ids = make(map[string]int32, len(local.vals))
	}
	same := true
	for k, v := range local.vals {
		// v is the writer's own copy (interner.add), never a view of a
		// reused buffer: the table's dictionary shares it.
		id, ok := g.ids[v]
		if !ok {
			id = g.add(v)
		}
		m[k] = id
		same = same && id == int32(k)
	}
	if same {
		return nil
	}
	return m
}

// remapInPlace replaces every index i of idx by m[i] (nothing when m is
// nil): in place, since the physical batches are the writers' own and
// read by no one else.
func remapInPlace(idx *array.Int32, m []int32) {
	if m == nil {
		return
	}
	vals := idx.Int32Values()
	for i, v := range vals {
		if idx.IsValid(i) {
			vals[i] = m[v]
		}
	}
}

// constIndices shares the index buffers of Dict columns that hold one
// value in every row of their batch: the file column always, the zone of
// most files, and the logger, method, path, user, exc_type, exc_frame and
// traceback of a format that has none (PgBouncer's records: 7 of its 9
// Dict columns). Each such batch's indices view one array per value,
// batchRows long, made once per table, instead of a copy of their own
// (100 MB folder: 7.0 of the events' 52.2 MiB). Batches of fewer than
// constMin rows keep their copy: a folder of small CSV files would
// otherwise make an array per file.
type constIndices map[int32][]int32

const constMin = 256

// view is idx as a view of the shared array of its value, nil when its
// values differ (or the batch is short, or has nulls).
func (k constIndices) view(idx *array.Int32) arrow.Array {
	vals := idx.Int32Values()
	if len(vals) < constMin || len(vals) > batchRows || idx.NullN() > 0 {
		return nil
	}
	v := vals[0]
	for _, x := range vals[1:] {
		if x != v {
			return nil
		}
	}
	arr, ok := k[v]
	if !ok {
		arr = make([]int32, batchRows)
		for i := range arr {
			arr[i] = v
		}
		k[v] = arr
	}
	d := array.NewData(idx.DataType(), len(vals), []*memory.Buffer{nil, memory.NewBufferBytes(sliceBytes(arr[:len(vals):len(vals)]))}, nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

func stringArray(vals []string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

// dictMap is a physical attrs column (physicalAttrs) as the table's
// schema.Attrs: its maps' keys and values given dictionaries kd and vd,
// sharing the physical column's buffers.
func dictMap(phys *array.Dictionary, kd, vd arrow.Array) arrow.Array {
	mt := schema.AttrsMap
	m := phys.Dictionary().(*array.Map)
	k, it := m.Keys().Data(), m.Items().Data()
	kdd := array.NewDataWithDictionary(mt.KeyType(), k.Len(), k.Buffers(), k.NullN(), k.Offset(), kd.Data().(*array.Data))
	idd := array.NewDataWithDictionary(mt.ItemType(), it.Len(), it.Buffers(), it.NullN(), it.Offset(), vd.Data().(*array.Data))
	pairs := array.NewData(mt.Elem(), k.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{kdd, idd}, 0, 0)
	kdd.Release()
	idd.Release()
	md := m.Data()
	maps := array.NewData(mt, md.Len(), md.Buffers(), []arrow.ArrayData{pairs}, md.NullN(), md.Offset())
	pairs.Release()
	defer maps.Release()
	d := phys.Data()
	out := array.NewDataWithDictionary(schema.Attrs, d.Len(), d.Buffers(), d.NullN(), d.Offset(), maps)
	defer out.Release()
	return array.MakeFromData(out)
}

// DatasetOf is the Dataset Parse would return had it read files holding
// the rows of results, written by hand (the later stages' unit tests build
// their inputs so): the rows go through the same writers and assembly as
// parsed ones, so the tables have the schema the pipeline reads, whatever
// its physical types. A file is named by each result's audit path (else
// by its first row's file), and by every row's own file; files are
// numbered in first-appearance order, a file's rows keep their order. No
// row is checked or redacted: they are taken as written.
func DatasetOf(results []*Result) *schema.Dataset {
	ds := &schema.Dataset{}
	index := map[string]schema.FileID{}
	var outs []*fileTables
	cache := &colCache{}
	fileOf := func(path string, a *Audit) schema.FileID {
		if id, ok := index[path]; ok {
			return id
		}
		id := schema.FileID(len(ds.Files))
		index[path] = id
		f := schema.File{ID: id, Path: path, Open: path, Audit: Audit{Path: path, Tables: map[string]int64{}}}
		if a != nil {
			f.Audit = *a
			if f.Audit.Path == "" {
				f.Audit.Path = path
			}
			f.Format, f.Encoding = sourceOf(a.Format), a.Encoding
		}
		ds.Files = append(ds.Files, f)
		outs = append(outs, &fileTables{cache: cache})
		return id
	}
	var row evRow
	for _, r := range results {
		path := r.Audit.Path
		if path == "" {
			path = firstFile(r)
		}
		def := fileOf(path, &r.Audit)
		writer := func(t schema.Table, file string) *tableWriter {
			id := def
			if file != "" {
				id = fileOf(file, nil)
			}
			return outs[id].writer(t, id)
		}
		for i := range r.Events {
			row.fromEvent(&r.Events[i])
			writeRow(writer(schema.TableEvents, r.Events[i].File), &row)
		}
		for i := range r.Auth {
			writeAuth(writer(schema.TableAuth, r.Auth[i].File), &r.Auth[i])
		}
		for i := range r.Stats {
			writeStat(writer(schema.TableStats, r.Stats[i].File), &r.Stats[i])
		}
		for i := range r.History {
			writeHistory(writer(schema.TableHistory, r.History[i].File), &r.History[i])
		}
		for i := range r.Failures {
			writeFailure(writer(schema.TableFailures, r.Failures[i].File), &r.Failures[i])
		}
		for i := range r.Exceptions {
			writeException(writer(schema.TableExceptions, r.Exceptions[i].File), &r.Exceptions[i])
		}
		for i := range r.Meta {
			writeMeta(writer(schema.TableMeta, r.Meta[i].File), &r.Meta[i])
		}
		for i := range r.Tasks {
			writeTask(writer(schema.TableTasks, r.Tasks[i].File), &r.Tasks[i])
		}
	}
	for _, o := range outs {
		o.finish()
	}
	assemble(ds, outs)
	return ds
}

// firstFile is the file a result's first row names, "" when none does.
func firstFile(r *Result) string {
	for _, f := range []string{firstOf(r.Events, func(e *Event) string { return e.File }),
		firstOf(r.Auth, func(e *AuthRow) string { return e.File }), firstOf(r.Stats, func(e *StatRow) string { return e.File }),
		firstOf(r.History, func(e *HistoryRow) string { return e.File }), firstOf(r.Failures, func(e *FailureRow) string { return e.File }),
		firstOf(r.Exceptions, func(e *ExceptionRow) string { return e.File }), firstOf(r.Meta, func(e *MetaRow) string { return e.File }),
		firstOf(r.Tasks, func(e *TaskRow) string { return e.File })} {
		if f != "" {
			return f
		}
	}
	return ""
}

func firstOf[T any](rows []T, file func(*T) string) string {
	if len(rows) == 0 {
		return ""
	}
	return file(&rows[0])
}
