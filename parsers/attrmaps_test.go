package parsers

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/logcorr/logcorr/model/schema"
)

// attrRows decodes data into rows of attrs, a few keys and values so that
// rows repeat: byte 0xff is a null row, a byte's low bit ends a row, its
// next bits pick one of 4 keys and 4 values. Enough bytes cross a batch.
func attrRows(data []byte) []map[string]string {
	var rows []map[string]string
	cur := map[string]string{}
	for _, b := range data {
		if b == 0xff {
			rows = append(rows, nil)
			continue
		}
		cur[fmt.Sprintf("k%d", b>>1&3)] = fmt.Sprintf("v%d", b>>3&3)
		if b&1 == 1 {
			rows = append(rows, cur)
			cur = map[string]string{}
		}
	}
	return rows
}

// checkAttrRows writes rows as events through the writers and reads them
// back with AttrsColumn: each row's pairs, keys sorted, nulls kept, and
// each batch's maps distinct.
func checkAttrRows(t *testing.T, rows []map[string]string) {
	t.Helper()
	evs := make([]Event, len(rows))
	for i, r := range rows {
		evs[i] = Event{File: "a.log", Line: int64(i + 1), Kind: KindLog, Attrs: r}
	}
	ds := DatasetOf([]*Result{{Audit: Audit{Path: "a.log", Format: "django"}, Events: evs}})
	defer ds.Release()
	i := 0
	for _, b := range ds.Tables[schema.TableEvents] {
		col := b.Column(schema.EvAttrs)
		c := schema.NewAttrsColumn(col)
		m := col.(*array.Dictionary).Dictionary().(*array.Map)
		if m.Len() > int(b.NumRows()) {
			t.Errorf("a batch of %d rows holds %d maps", b.NumRows(), m.Len())
		}
		seen := map[string]bool{}
		for k := range m.Len() {
			lo, hi := m.ValueOffsets(k)
			var s strings.Builder
			for j := int(lo); j < int(hi); j++ {
				fmt.Fprintf(&s, "%s=%s ", c.Key(j), c.Item(j))
			}
			if seen[s.String()] {
				t.Errorf("map %q twice in a batch", s.String())
			}
			seen[s.String()] = true
		}
		for r := range int(b.NumRows()) {
			want := rows[i]
			i++
			if col.IsNull(r) != (want == nil) {
				t.Fatalf("row %d: null %v, want %v", i, col.IsNull(r), want == nil)
			}
			keys := slices.Sorted(maps.Keys(want))
			lo, hi := c.Range(r)
			var got []string
			for j := lo; j < hi; j++ {
				got = append(got, c.Key(j)+"="+c.Item(j))
			}
			var exp []string
			for _, k := range keys {
				exp = append(exp, k+"="+want[k])
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("row %d: pairs %v, want %v", i, got, exp)
			}
		}
	}
	if i != len(rows) {
		t.Fatalf("%d rows read back, %d written", i, len(rows))
	}
}

func TestAttrMapsReadBack(t *testing.T) {
	pg := map[string]string{"conn": "C-0x1", "db": "rabdb", "pid": "19202", "side": "client"}
	many := make([]map[string]string, batchRows+100) // crosses a batch
	for i := range many {
		many[i] = map[string]string{"conn": fmt.Sprintf("C-0x%x", i%300), "pid": "1"}
	}
	for _, tc := range []struct {
		name string
		rows []map[string]string
	}{
		{"none", nil},
		{"all null", []map[string]string{nil, nil}},
		{"empty map, not null", []map[string]string{{}, nil, {}}},
		{"one set repeated", []map[string]string{pg, pg, pg}},
		{"a set again after others", []map[string]string{pg, {"ip": "127.0.0.1"}, nil, {}, pg}},
		{"same keys, other values", []map[string]string{{"pid": "1"}, {"pid": "2"}, {"pid": "1"}}},
		{"a prefix of another set", []map[string]string{{"a": "1", "b": "2"}, {"a": "1"}, {"a": "1", "b": "2"}}},
		{"across a batch", many},
	} {
		t.Run(tc.name, func(t *testing.T) { checkAttrRows(t, tc.rows) })
	}
}

func FuzzAttrMaps(f *testing.F) {
	f.Add([]byte{0x01, 0x03, 0x01, 0xff, 0x02, 0x05})
	f.Add([]byte{0x02, 0x04, 0x07, 0x02, 0x04, 0x07, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAttrRows(t, attrRows(data))
	})
}
