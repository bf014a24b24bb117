package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// attrsOf builds an attrs column (Attrs) of rows, nil = null: rows with
// the same pairs index one map, as the parsers build it.
func attrsOf(t *testing.T, rows [][][2]string) arrow.Array {
	t.Helper()
	b := array.NewBuilder(memory.DefaultAllocator, AttrsMap).(*array.MapBuilder)
	defer b.Release()
	kb, ib := b.KeyBuilder().(*array.BinaryDictionaryBuilder), b.ItemBuilder().(*array.BinaryDictionaryBuilder)
	idx := array.NewInt32Builder(memory.DefaultAllocator)
	defer idx.Release()
	maps := map[string]int32{}
	for _, r := range rows {
		if r == nil {
			idx.AppendNull()
			continue
		}
		key := fmt.Sprint(r)
		if m, ok := maps[key]; ok {
			idx.Append(m)
			continue
		}
		maps[key] = int32(b.Len())
		idx.Append(int32(b.Len()))
		b.Append(true)
		for _, kv := range r {
			if err := kb.AppendString(kv[0]); err != nil {
				t.Fatal(err)
			}
			if err := ib.AppendString(kv[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	m, ix := b.NewArray(), idx.NewArray()
	defer m.Release()
	defer ix.Release()
	return array.NewDictionaryArray(Attrs, ix, m)
}

func jsonOf(t *testing.T, a arrow.Array) string {
	t.Helper()
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Plain writes attrs as map<utf8, utf8> with the same pairs, the nulls
// kept, a slice of the column too; AttrsColumn reads the pairs in place.
func TestPlainAttrs(t *testing.T) {
	rows := [][][2]string{{{"conn", "C-0x1"}, {"pid", "7"}}, nil, {}, {{"pid", "7"}, {"side", "client"}}, {{"conn", "C-0x1"}, {"pid", "7"}}}
	a := attrsOf(t, rows)
	defer a.Release()
	if n := a.(*array.Dictionary).Dictionary().Len(); n != 3 {
		t.Fatalf("%d maps, want 3: the last row shares the first row's map", n)
	}
	want := `[[{"key":"conn","value":"C-0x1"},{"key":"pid","value":"7"}],null,[],[{"key":"pid","value":"7"},{"key":"side","value":"client"}],[{"key":"conn","value":"C-0x1"},{"key":"pid","value":"7"}]]`
	p := Plain(a)
	defer p.Release()
	if !arrow.TypeEqual(p.DataType(), PlainAttrs) || !arrow.TypeEqual(PlainType(Attrs), PlainAttrs) {
		t.Fatalf("plain type %s, PlainType %s, want %s", p.DataType(), PlainType(Attrs), PlainAttrs)
	}
	if got := jsonOf(t, p); got != want {
		t.Errorf("Plain = %s\nwant  %s", got, want)
	}
	s := array.NewSlice(a, 2, 4)
	defer s.Release()
	ps := Plain(s)
	defer ps.Release()
	if got := jsonOf(t, ps); got != `[[],[{"key":"pid","value":"7"},{"key":"side","value":"client"}]]` {
		t.Errorf("Plain of a slice = %s", got)
	}
	c := NewAttrsColumn(a)
	for i, r := range rows {
		if c.Len(i) != len(r) {
			t.Errorf("row %d: %d pairs, want %d", i, c.Len(i), len(r))
			continue
		}
		lo, _ := c.Range(i)
		for j, kv := range r {
			if c.Key(lo+j) != kv[0] || c.Item(lo+j) != kv[1] {
				t.Errorf("row %d pair %d = %s=%s, want %s=%s", i, j, c.Key(lo+j), c.Item(lo+j), kv[0], kv[1])
			}
			if v, ok := c.Lookup(i, kv[0]); !ok || v != kv[1] {
				t.Errorf("row %d: Lookup(%s) = %q, %v", i, kv[0], v, ok)
			}
		}
		if _, ok := c.Lookup(i, "absent"); ok {
			t.Errorf("row %d: Lookup(absent) found", i)
		}
	}
}

// Plain decodes a Dict column to utf8 (nulls kept) and leaves a plain
// column as it is.
func TestPlainDict(t *testing.T) {
	b := array.NewBuilder(memory.DefaultAllocator, Dict).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, s := range []string{"a", "b", "a"} {
		if err := b.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	b.AppendNull()
	d := b.NewArray()
	defer d.Release()
	p := Plain(d)
	defer p.Release()
	if got := jsonOf(t, p); !arrow.TypeEqual(p.DataType(), arrow.BinaryTypes.String) || got != `["a","b","a",null]` {
		t.Errorf("Plain = %s %s", p.DataType(), got)
	}
	ib := array.NewInt64Builder(memory.DefaultAllocator)
	defer ib.Release()
	ib.AppendValues([]int64{1, 2}, nil)
	n := ib.NewArray()
	defer n.Release()
	pn := Plain(n)
	defer pn.Release()
	if pn != n || !bytes.Equal([]byte(jsonOf(t, pn)), []byte("[1,2]")) {
		t.Errorf("a plain column is not returned as it is")
	}
}
