package parsers

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// lexDecimal reads the plain decimals load-test files are full of ("230",
// "9.800000", "150.76515829673"): digits, an optional point and digits,
// at most 15 digits in all. Then the digits are an integer and the scale a
// power of ten that a float64 both holds exactly, so one division is the
// correctly rounded value, the one strconv.ParseFloat returns. ok is false
// for anything else (a sign, an exponent, more digits, N/A): the caller
// falls back to strconv.ParseFloat.
func lexDecimal(s string) (v float64, ok bool) {
	var m uint64
	digits, frac, point := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if point {
				frac++
			}
		case c == '.' && !point:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	return float64(m) / pow10[frac], true
}
