package parsers

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Many of a batch's buffers are all zero bytes: a column that is null in
// every row of a file's kind (status, size and duration_ms of PgBouncer's
// and Locust's records: zero values and a zero validity bitmap), the
// duplicates of a file with none, the offsets of the omitted text column.
// Such a buffer is a view of zeroBytes, one array shared by every batch,
// instead of a copy (100 MB folder: 7.9 of the events' 60.1 MiB). Nothing
// writes into a batch's buffers once it is cut, except assemble's
// remapping of Dict indices and attrs ids in place: those int32 buffers
// are always copies (exact).

// zeroBytes is the longest buffer a batch can have (batchRows 8-byte
// values, or a string column's batchRows+1 offsets).
var zeroBytes = make([]byte, 8*(batchRows+1))

// exactOrZero is exact(b), or a view of zeroBytes when b holds only
// zeros.
func exactOrZero(b []byte) *memory.Buffer {
	if len(b) > 0 && len(b) <= len(zeroBytes) && bytes.Equal(b, zeroBytes[:len(b)]) {
		return memory.NewBufferBytes(zeroBytes[:len(b):len(b)])
	}
	return exact(b)
}

// shareEqual makes each int64 column of a batch without nulls whose values
// are an earlier such column's view that column's buffer: end_line is
// line in every batch of one-line records (PgBouncer's, auth_debug's,
// most of runserver's): 1.5 of the 100 MB folder's 2.7 MiB of end_line.
// A few comparisons of a batch, most ending at the first value.
func shareEqual(arrs []arrow.Array) {
	for i, a := range arrs {
		if a.DataType().ID() != arrow.INT64 || a.NullN() > 0 || a.Len() == 0 {
			continue
		}
		vi := a.Data().Buffers()[1]
		for _, b := range arrs[:i] {
			if b.DataType().ID() != arrow.INT64 || b.NullN() > 0 || b.Len() != a.Len() {
				continue
			}
			if vj := b.Data().Buffers()[1]; vj != vi && bytes.Equal(vj.Bytes(), vi.Bytes()) {
				d := array.NewData(a.DataType(), a.Len(), []*memory.Buffer{nil, vj}, nil, 0, 0)
				a.Release()
				arrs[i] = array.MakeFromData(d)
				d.Release()
				break
			}
		}
	}
}
