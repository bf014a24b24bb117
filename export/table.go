package export

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/internal/parquet"
)

// Table is one table's contract: its name (the folder under OUT), what
// one row is, whether it has a run=__none__ partition, and its columns in
// file order (the first is always run).
type Table struct {
	Name    string
	Doc     string
	Outside bool
	Columns []Column
}

// runColumn leads every table, so readers without hive partitioning (or
// a file copied out of its folder) still know the run.
var runColumn = Column{Name: "run", Kind: KindString, Doc: "the run's name, equal to the partition folder's value " +
	"(`run=<escaped name>`); `__none__` in the partition of rows that belong to no run"}

// table is a Table whose rows are of type R, taken from one partition.
type table[R any] struct {
	name    string
	doc     string
	outside bool
	cols    []column[R]
	rows    func(p *part) []R
	// before and after, when set, are called with each slice of rows
	// before it is built and after it is written: what a slice's columns
	// read that the rows do not hold (lines read back from the files) is
	// held for that slice only.
	before, after func(p *part, rows []R)
	once          sync.Once
	schema        *arrow.Schema // arrowSchema's, made once
}

// tableDef is what the writer needs of a table, whatever its row type.
type tableDef interface {
	spec() Table
	arrowSchema() *arrow.Schema
	// write hands emit the partition's rows of the table as batches of
	// at most sliceRows rows, and returns how many rows it gave.
	write(p *part, s *sink, emit func(arrow.RecordBatch) error) (int64, error)
}

// sliceRows bounds a batch of rows built at once: a storm's one run holds
// hundreds of thousands of events with their tracebacks, whose columns
// built whole were several times the input (a 23 MB storm's export
// peaked at 250 MB). The Parquet writer keeps only the row group's
// compressed pages, and a batch of one page's rows gives the bytes one
// batch of the whole table gave (parquet.Writer.Append).
const sliceRows = parquet.DefaultPageRows

func (t *table[R]) spec() Table {
	cols := []Column{runColumn}
	for _, c := range t.cols {
		cols = append(cols, c.Column)
	}
	return Table{Name: t.name, Doc: t.doc, Outside: t.outside, Columns: cols}
}

func (t *table[R]) arrowSchema() *arrow.Schema {
	t.once.Do(func() { t.schema = schemaOf(t.spec()) })
	return t.schema
}

func schemaOf(tb Table) *arrow.Schema {
	fields := make([]arrow.Field, len(tb.Columns))
	for i, c := range tb.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Kind.arrowType(), Nullable: c.Nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// write builds the partition's rows of this table sliceRows at a time and
// hands each batch to emit.
func (t *table[R]) write(p *part, s *sink, emit func(arrow.RecordBatch) error) (int64, error) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, t.arrowSchema())
	defer b.Release()
	rows := t.rows(p)
	for lo := 0; lo < len(rows); lo += sliceRows {
		slice := rows[lo:min(lo+sliceRows, len(rows))]
		if t.before != nil {
			t.before(p, slice)
		}
		// Every column has a value per row: sized once, not grown by copying.
		for _, f := range b.Fields() {
			f.Reserve(len(slice))
		}
		run := b.Field(0).(*array.StringBuilder)
		for i := range slice {
			run.Append(p.run) // cleaned when the partition was named
			for c := range t.cols {
				t.cols[c].put(b.Field(c+1), &slice[i], s)
			}
		}
		rec := b.NewRecordBatch()
		err := emit(rec)
		rec.Release()
		if t.after != nil {
			t.after(p, slice)
		}
		if err != nil {
			return 0, err
		}
	}
	return int64(len(rows)), nil
}

// Tables returns the dataset's tables in the order they are written
// (runs last: it is the commit marker of a run, see Write).
func Tables() []Table {
	out := make([]Table, len(tableDefs))
	for i, t := range tableDefs {
		out[i] = t.spec()
	}
	return out
}
