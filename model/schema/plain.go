package schema

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The tables hold some columns in a narrower form than the one written to
// files (`parse --out`, the export), whose column types are a contract:
// a Dict or Enum column is written as utf8, attrs as map<utf8, utf8>.
// PlainType and Plain turn a column into its written form; readers in
// memory use the columns as they are (AttrsColumn for attrs).

// PlainAttrs is the attrs column's written type.
var PlainAttrs = arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)

// PlainType is the type a column of type t is written with: t itself for
// the plain columns.
func PlainType(t arrow.DataType) arrow.DataType {
	switch t := t.(type) {
	case *arrow.DictionaryType:
		return PlainType(t.ValueType) // an attrs dictionary's map is plain too
	case *arrow.MapType:
		if isDict(t.KeyType()) || isDict(t.ItemType()) {
			return arrow.MapOf(PlainType(t.KeyType()), PlainType(t.ItemType()))
		}
	}
	return t
}

func isDict(t arrow.DataType) bool {
	_, ok := t.(*arrow.DictionaryType)
	return ok
}

// Plain returns column a with its written type (PlainType): dictionary
// values decoded, a map's dictionary keys and items decoded. The result is
// a new reference the caller releases; a column that is already plain is
// returned retained.
func Plain(a arrow.Array) arrow.Array {
	switch a := a.(type) {
	case *array.Dictionary:
		if m, ok := a.Dictionary().(*array.Map); ok {
			return plainAttrs(a, m)
		}
		return plainDictionary(a)
	case *array.Map:
		mt := a.DataType().(*arrow.MapType)
		if !isDict(mt.KeyType()) && !isDict(mt.ItemType()) {
			break
		}
		keys, items := Plain(a.Keys()), Plain(a.Items())
		defer keys.Release()
		defer items.Release()
		// Keys() and Items() are the whole pairs column, so the map's own
		// offsets and validity (and its offset into them) still hold.
		st := PlainType(mt).(*arrow.MapType).Elem()
		pairs := array.NewData(st, keys.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{keys.Data(), items.Data()}, 0, 0)
		defer pairs.Release()
		d := a.Data()
		out := array.NewData(PlainType(mt), d.Len(), d.Buffers(), []arrow.ArrayData{pairs}, d.NullN(), d.Offset())
		defer out.Release()
		return array.MakeFromData(out)
	}
	a.Retain()
	return a
}

func plainDictionary(d *array.Dictionary) arrow.Array {
	vals, ok := d.Dictionary().(*array.String)
	if !ok {
		panic(fmt.Sprintf("schema: dictionary of %s, want utf8 values", d.Dictionary().DataType()))
	}
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(d.Len())
	for i := 0; i < d.Len(); i++ {
		if d.IsNull(i) {
			b.AppendNull()
			continue
		}
		b.Append(vals.Value(d.GetValueIndex(i)))
	}
	return b.NewArray()
}

// plainAttrs is attrs column d (rows indexing the maps of m) as
// map<utf8, utf8>: each row's pairs written out, the nulls kept.
func plainAttrs(d *array.Dictionary, m *array.Map) arrow.Array {
	c := NewAttrsColumn(d)
	keys := array.NewStringBuilder(memory.DefaultAllocator)
	defer keys.Release()
	items := array.NewStringBuilder(memory.DefaultAllocator)
	defer items.Release()
	n := d.Len()
	offs := make([]int32, 1, n+1)
	var valid []byte
	if d.NullN() > 0 {
		valid = make([]byte, (n+7)/8)
	}
	for i := range n {
		if d.IsValid(i) && valid != nil {
			valid[i/8] |= 1 << (i % 8)
		}
		lo, hi := c.Range(i)
		for j := lo; j < hi; j++ {
			keys.Append(c.Key(j))
			items.Append(c.Item(j))
		}
		offs = append(offs, offs[len(offs)-1]+int32(hi-lo))
	}
	k, it := keys.NewArray(), items.NewArray()
	defer k.Release()
	defer it.Release()
	pairs := array.NewData(PlainAttrs.Elem(), k.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{k.Data(), it.Data()}, 0, 0)
	defer pairs.Release()
	var vb *memory.Buffer
	if valid != nil {
		vb = memory.NewBufferBytes(valid)
	}
	out := array.NewData(PlainAttrs, n, []*memory.Buffer{vb, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offs))}, []arrow.ArrayData{pairs}, d.NullN(), 0)
	defer out.Release()
	return array.MakeFromData(out)
}

// AttrsColumn reads an attrs column (Attrs: rows indexing their batch's
// distinct maps, map<Dict, Dict>, keys sorted) where it is: row i's pairs
// are Key(j), Item(j) for j in Range(i). Rows with the same pairs share
// them, so two rows' ranges can be the same.
type AttrsColumn struct {
	rows        *array.Dictionary
	sets        []int32 // rows' map indices
	m           *array.Map
	keys, items *array.Int32
	kd, vd      *array.String
}

// NewAttrsColumn reads attrs column a.
func NewAttrsColumn(a arrow.Array) AttrsColumn {
	d := a.(*array.Dictionary)
	m := d.Dictionary().(*array.Map)
	c := AttrsColumn{rows: d, sets: d.Indices().(*array.Int32).Int32Values(), m: m}
	if k, ok := m.Keys().(*array.Dictionary); ok {
		c.keys, c.kd = k.Indices().(*array.Int32), k.Dictionary().(*array.String)
	}
	if it, ok := m.Items().(*array.Dictionary); ok {
		c.items, c.vd = it.Indices().(*array.Int32), it.Dictionary().(*array.String)
	}
	return c
}

// Range is the pairs of row i: [lo, hi), empty when the row has none.
func (c AttrsColumn) Range(i int) (lo, hi int) {
	if c.rows.IsNull(i) || c.keys == nil {
		return 0, 0
	}
	l, h := c.m.ValueOffsets(int(c.sets[i]))
	return int(l), int(h)
}

// Key is pair j's key.
func (c AttrsColumn) Key(j int) string { return c.kd.Value(int(c.keys.Value(j))) }

// Item is pair j's value.
func (c AttrsColumn) Item(j int) string { return c.vd.Value(int(c.items.Value(j))) }

// Lookup is the value of key among row i's pairs; ok is false when absent.
func (c AttrsColumn) Lookup(i int, key string) (string, bool) {
	lo, hi := c.Range(i)
	for j := lo; j < hi; j++ {
		if c.Key(j) == key {
			return c.Item(j), true
		}
	}
	return "", false
}

// Len is how many pairs row i has.
func (c AttrsColumn) Len(i int) int {
	lo, hi := c.Range(i)
	return hi - lo
}
