package correlate

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// floats stores a column's value once while it repeats, and never hands
// out a value that is not the row's own: a change, a null, -0 after +0 and
// NaN each get their own; two columns never mix.
func TestFloatsShareRepeats(t *testing.T) {
	nan := math.NaN()
	negZero := math.Copysign(0, -1)
	cases := []struct {
		name  string
		vals  []float64
		nulls []bool
		// shared[i]: row i points at row i-1's value.
		shared []bool
	}{
		{"repeats share", []float64{290, 290, 290, 360, 360}, nil, []bool{false, true, true, false, true}},
		{"a change is its own", []float64{1, 2, 1, 2}, nil, []bool{false, false, false, false}},
		{"a null between repeats", []float64{5, 0, 5}, []bool{false, true, false}, []bool{false, false, true}},
		{"-0 after +0 is its own", []float64{0, negZero, negZero}, nil, []bool{false, false, true}},
		{"NaN repeats by its bits", []float64{nan, nan}, nil, []bool{false, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := array.NewFloat64Builder(memory.DefaultAllocator)
			for i, v := range c.vals {
				if c.nulls != nil && c.nulls[i] {
					b.AppendNull()
				} else {
					b.Append(v)
				}
			}
			a := b.NewFloat64Array()
			defer a.Release()
			var f floats
			// Column 4 reads another array in between: it must not
			// disturb column 3's memory, nor take its values.
			other := array.NewFloat64Builder(memory.DefaultAllocator)
			other.AppendValues(c.vals, nil)
			oa := other.NewFloat64Array()
			defer oa.Release()
			var prev *float64
			for r := range c.vals {
				p := f.opt(a, 3, r)
				q := f.opt(oa, 4, r)
				if q == nil || math.Float64bits(*q) != math.Float64bits(c.vals[r]) {
					t.Fatalf("row %d: other column %v, want %v", r, q, c.vals[r])
				}
				if c.nulls != nil && c.nulls[r] {
					if p != nil {
						t.Fatalf("row %d: null read as %v", r, *p)
					}
					continue
				}
				if p == nil || math.Float64bits(*p) != math.Float64bits(c.vals[r]) {
					t.Fatalf("row %d: %v, want %v", r, p, c.vals[r])
				}
				if got := p == prev; got != c.shared[r] {
					t.Errorf("row %d: shares the row before's value: %v, want %v", r, got, c.shared[r])
				}
				if p == q {
					t.Errorf("row %d: two columns share one value", r)
				}
				prev = p
			}
		})
	}
}
