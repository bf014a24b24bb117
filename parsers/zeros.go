package parsers

import (
	"bytes"

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
