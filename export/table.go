package export

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
}

// tableDef is what the writer needs of a table, whatever its row type.
type tableDef interface {
	spec() Table
	record(p *part, s *sink) arrow.RecordBatch
}

func (t *table[R]) spec() Table {
	cols := []Column{runColumn}
	for _, c := range t.cols {
		cols = append(cols, c.Column)
	}
	return Table{Name: t.name, Doc: t.doc, Outside: t.outside, Columns: cols}
}

func schemaOf(tb Table) *arrow.Schema {
	fields := make([]arrow.Field, len(tb.Columns))
	for i, c := range tb.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Kind.arrowType(), Nullable: c.Nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// record builds the partition's rows of this table as one batch.
func (t *table[R]) record(p *part, s *sink) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, schemaOf(t.spec()))
	defer b.Release()
	rows := t.rows(p)
	// Every column has a value per row: sized once, not grown by copying.
	for _, f := range b.Fields() {
		f.Reserve(len(rows))
	}
	run := b.Field(0).(*array.StringBuilder)
	for i := range rows {
		run.Append(p.run) // cleaned when the partition was named
		for c := range t.cols {
			t.cols[c].put(b.Field(c+1), &rows[i], s)
		}
	}
	return b.NewRecordBatch()
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
