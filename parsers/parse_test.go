package parsers

import (
	"slices"
	"testing"
)

func TestLargestFirst(t *testing.T) {
	for _, tc := range []struct {
		sizes []int64
		want  []int
	}{
		{nil, []int{}},
		{[]int64{5}, []int{0}},
		{[]int64{1, 3, 2}, []int{1, 2, 0}},
		{[]int64{2, 7, 2, 7, 0}, []int{1, 3, 0, 2, 4}}, // ties keep target order
		{[]int64{0, 0, 0}, []int{0, 1, 2}},             // sizes unknown: target order
	} {
		if got := largestFirst(tc.sizes); !slices.Equal(got, tc.want) {
			t.Errorf("largestFirst(%v) = %v, want %v", tc.sizes, got, tc.want)
		}
	}
}
