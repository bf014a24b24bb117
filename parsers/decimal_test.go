package parsers

import (
	"math"
	"strconv"
	"testing"
)

// lexDecimal reads what it accepts exactly as strconv.ParseFloat does.
func FuzzLexDecimal(f *testing.F) {
	for _, s := range []string{"0", "230", "9.800000", "150.76515829673", "0.1", ".5", "5.", "123456789012345", "1234567890123456", "1e5", "-3", "N/A", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := lexDecimal(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(v) != math.Float64bits(want) {
			t.Fatalf("lexDecimal(%q) = %v, ParseFloat %v (%v)", s, v, want, err)
		}
	})
}

func TestLexDecimal(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"230", true}, {"9.800000", true}, {"0.000000", true}, {".5", true}, {"5.", true}, {"123456789012345", true},
		{"1234567890123456", false}, {"1.2.3", false}, {"1e5", false}, {"-3", false}, {"N/A", false}, {"", false}, {".", false}} {
		v, ok := lexDecimal(c.in)
		if ok != c.ok {
			t.Errorf("lexDecimal(%q) ok = %v, want %v", c.in, ok, c.ok)
			continue
		}
		if want, _ := strconv.ParseFloat(c.in, 64); ok && v != want {
			t.Errorf("lexDecimal(%q) = %v, want %v", c.in, v, want)
		}
	}
}
