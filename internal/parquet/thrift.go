package parquet

import "encoding/binary"

// Parquet's footer and page headers are Thrift structs in the compact
// protocol. The writer needs only to encode a handful of them, so this is
// the encoding half of the protocol and nothing else: field headers with
// delta ids, zigzag varints, binaries, lists and nested structs.

// Compact-protocol type codes (Thrift's TCompactProtocol).
const (
	tTrue   = 1
	tFalse  = 2
	tI32    = 5
	tI64    = 6
	tBinary = 8
	tList   = 9
	tStruct = 12
)

// thriftWriter appends one Thrift struct (and those nested in it) to buf.
// Each struct remembers the id of the last field written, because the
// compact protocol writes field ids as deltas from it.
type thriftWriter struct {
	buf  []byte
	last []int16 // last field id per open struct, innermost last
}

func newThrift() *thriftWriter { return &thriftWriter{last: []int16{0}} }

func (w *thriftWriter) field(typ byte, id int16) {
	top := &w.last[len(w.last)-1]
	if d := id - *top; d > 0 && d <= 15 {
		w.buf = append(w.buf, byte(d)<<4|typ)
	} else {
		w.buf = append(w.buf, typ)
		w.buf = binary.AppendVarint(w.buf, int64(id))
	}
	*top = id
}

func (w *thriftWriter) i32(id int16, v int32) {
	w.field(tI32, id)
	w.buf = binary.AppendVarint(w.buf, int64(v))
}

func (w *thriftWriter) i64(id int16, v int64) {
	w.field(tI64, id)
	w.buf = binary.AppendVarint(w.buf, v)
}

func (w *thriftWriter) str(id int16, s string) {
	w.field(tBinary, id)
	w.buf = binary.AppendUvarint(w.buf, uint64(len(s)))
	w.buf = append(w.buf, s...)
}

func (w *thriftWriter) boolean(id int16, v bool) {
	if v {
		w.field(tTrue, id)
	} else {
		w.field(tFalse, id)
	}
}

// begin opens a struct-valued field; end closes it (or a list element).
func (w *thriftWriter) begin(id int16) {
	w.field(tStruct, id)
	w.last = append(w.last, 0)
}

func (w *thriftWriter) end() {
	w.buf = append(w.buf, 0) // field stop
	w.last = w.last[:len(w.last)-1]
}

// list opens a list field of n elements of type elem. Struct elements
// are each written between elem() and end(); i32 and string elements
// with listI32 and listStr.
func (w *thriftWriter) list(id int16, elem byte, n int) {
	w.field(tList, id)
	if n < 15 {
		w.buf = append(w.buf, byte(n)<<4|elem)
		return
	}
	w.buf = append(w.buf, 0xf0|elem)
	w.buf = binary.AppendUvarint(w.buf, uint64(n))
}

func (w *thriftWriter) elem() { w.last = append(w.last, 0) }

func (w *thriftWriter) listI32(id int16, vs ...int32) {
	w.list(id, tI32, len(vs))
	for _, v := range vs {
		w.buf = binary.AppendVarint(w.buf, int64(v))
	}
}

func (w *thriftWriter) listStr(id int16, vs []string) {
	w.list(id, tBinary, len(vs))
	for _, v := range vs {
		w.buf = binary.AppendUvarint(w.buf, uint64(len(v)))
		w.buf = append(w.buf, v...)
	}
}

// finish closes the top-level struct and returns its bytes.
func (w *thriftWriter) finish() []byte {
	w.buf = append(w.buf, 0)
	return w.buf
}
