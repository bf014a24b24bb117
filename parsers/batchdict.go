package parsers

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// A BatchDict column (schema.BatchDict: the events' message and
// exc_message) is built as its batch's int32 indices (colBuf.i32) into the
// batch's distinct values (colBuf.data, colBuf.offs), numbered in
// first-appearance order: the same rows give the same batch, whatever the
// scheduling. The table's messages were most of its bytes (100 MB folder:
// 41.7 of 94 MiB, request lines and auth_debug records repeating by the
// thousand); the map is per batch, so it never holds more than a batch's
// values.

// batchVals numbers the distinct values of the batch being built. Its keys
// view colBuf.data: bytes appended are never changed until reset, when
// the map is emptied before they are reused (an append that moves data
// leaves the old array, which the keys keep, as it was).
type batchVals struct {
	ids map[string]int32
	// last is the index appended last: a value that repeats row after row
	// costs a comparison, not a hash.
	last    int32
	hasLast bool
}

// batchDictv appends value b.
func (c *colBuf) batchDictv(b []byte) {
	v := &c.bvals
	if v.hasLast && string(b) == c.batchValue(v.last) {
		c.i32 = append(c.i32, v.last)
		c.n++
		return
	}
	id, ok := v.ids[string(b)]
	if !ok {
		if v.ids == nil {
			v.ids = map[string]int32{}
		}
		id = int32(len(c.offs) - 1)
		start := len(c.data)
		c.data = append(c.data, b...)
		c.offs = append(c.offs, int32(len(c.data)))
		v.ids[bstring(c.data[start:len(c.data):len(c.data)])] = id
	}
	v.last, v.hasLast = id, true
	c.i32 = append(c.i32, id)
	c.n++
}

// batchValue is distinct value k of the batch.
func (c *colBuf) batchValue(k int32) string {
	return bstring(c.data[c.offs[k]:c.offs[k+1]])
}

func (c *colBuf) resetBatchVals() {
	clear(c.bvals.ids)
	c.bvals.hasLast = false
}

// batchDictData is the column as a dictionary array of its batch's
// values, buffers copied at their exact size.
func (c *colBuf) batchDictData(valid *memory.Buffer) arrow.ArrayData {
	vals := array.NewData(arrow.BinaryTypes.String, len(c.offs)-1, []*memory.Buffer{nil, exact(sliceBytes(c.offs)), exact(c.data)}, nil, 0, 0)
	defer vals.Release()
	// Indices all 0: one value in every row (an exc_message empty in a
	// whole batch of requests), a view of zeroBytes (zeros.go).
	return array.NewDataWithDictionary(c.dt, c.n, []*memory.Buffer{valid, exactOrZero(sliceBytes(c.i32))}, c.nulls, 0, vals)
}
