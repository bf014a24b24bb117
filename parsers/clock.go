package parsers

import (
	"fmt"
	"strings"
	"time"
)

// Timestamp readers shared by several formats. They work on bytes without
// allocating, because they run once per line.

// num reads a fixed-width decimal at b[i:i+n].
func num(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// parseDateTime reads "YYYY-MM-DD HH:MM:SS" (or with 'T') at the start of b,
// followed by an optional fraction introduced by ',' or '.'. It returns the
// wall clock as a UTC time and how many bytes it used.
func parseDateTime(b []byte) (time.Time, int, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, 0, false
	}
	y, ok1 := num(b, 0, 4)
	mo, ok2 := num(b, 5, 2)
	d, ok3 := num(b, 8, 2)
	h, ok4 := num(b, 11, 2)
	mi, ok5 := num(b, 14, 2)
	s, ok6 := num(b, 17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, 0, false
	}
	nanos, n, ok := fraction(b)
	if !ok {
		return time.Time{}, 0, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, nanos, time.UTC), n, true
}

// fraction reads the optional ",mmm" or ".mmm..." after the seconds of a
// "YYYY-MM-DD HH:MM:SS" at the start of b: its nanoseconds and where the
// time ends. ok is false for a separator without digits.
func fraction(b []byte) (nanos, n int, ok bool) {
	n = 19
	if n < len(b) && (b[n] == ',' || b[n] == '.') {
		j := n + 1
		scale := 100000000
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			if scale > 0 {
				nanos += int(b[j]-'0') * scale
				scale /= 10
			}
			j++
		}
		if j == n+1 {
			return 0, 0, false
		}
		n = j
	}
	return nanos, n, true
}

// dateCache is parseDateTime for the lines of one log, which mostly share
// their "YYYY-MM-DD HH:MM": the minute last read whole is kept with its
// time, and a line that repeats it has only its seconds and fraction
// read, added to that time (UTC fields: a minute is 60 seconds, and 60
// itself runs into the next minute as time.Date makes it).
type dateCache struct {
	head [16]byte  // the minute's bytes, as printed
	t    time.Time // the minute's time
	ok   bool
}

func (dc *dateCache) parse(b []byte) (time.Time, int, bool) {
	if dc == nil {
		return parseDateTime(b) // no cache: a line read alone
	}
	if dc.ok && len(b) >= 19 && string(b[:16]) == string(dc.head[:]) && b[16] == ':' {
		s, ok := num(b, 17, 2)
		if !ok || s > 60 {
			return time.Time{}, 0, false
		}
		nanos, n, ok := fraction(b)
		if !ok {
			return time.Time{}, 0, false
		}
		return dc.t.Add(time.Duration(s)*time.Second + time.Duration(nanos)), n, true
	}
	t, n, ok := parseDateTime(b)
	if ok {
		// The minute starts at the line's time less its printed seconds
		// and fraction (time.Date is linear in them: :60 is the next
		// minute's :00, which is why the printed ones are taken, not
		// t.Second()).
		s, _ := num(b, 17, 2)
		nanos, _, _ := fraction(b)
		copy(dc.head[:], b[:16])
		dc.t = t.Add(-time.Duration(s)*time.Second - time.Duration(nanos))
		dc.ok = true
	}
	return t, n, ok
}

// parseOffset reads a numeric zone suffix at the start of b: "Z", "+07:00",
// "+0700" or "+07". It returns the offset in seconds and the bytes used.
func parseOffset(b []byte) (int, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] == 'Z' {
		return 0, 1, true
	}
	if b[0] != '+' && b[0] != '-' {
		return 0, 0, false
	}
	sign := 1
	if b[0] == '-' {
		sign = -1
	}
	h, ok := num(b, 1, 2)
	if !ok {
		return 0, 0, false
	}
	n, m := 3, 0
	if len(b) >= 6 && b[3] == ':' {
		if m, ok = num(b, 4, 2); !ok {
			return 0, 0, false
		}
		n = 6
	} else if v, ok := num(b, 3, 2); ok {
		m, n = v, 5
	}
	return sign * (h*3600 + m*60), n, true
}

var monthAbbr = map[string]time.Month{
	"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
	"Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

// LoadZone reads a zone as a user gives it on the command line: an IANA
// name ("Asia/Jakarta", "UTC"), or a fixed offset ("+07:00", "-0330",
// "+7", "UTC+8", "GMT-03:00").
func LoadZone(s string) (*time.Location, error) {
	t := s
	for _, p := range []string{"UTC", "GMT"} {
		if len(t) > len(p) && strings.HasPrefix(t, p) {
			t = t[len(p):]
		}
	}
	if len(t) == 2 && (t[0] == '+' || t[0] == '-') { // "+7": one-digit hours
		t = t[:1] + "0" + t[1:]
	}
	if off, n, ok := parseOffset([]byte(t)); ok && n == len(t) && t != "Z" {
		h, m := off/3600, off%3600/60
		if off < 0 {
			h, m = -h, -m
		}
		if h > 14 || m > 59 {
			return nil, fmt.Errorf("offset %q out of range", s)
		}
		return time.FixedZone(fmt.Sprintf("UTC%c%02d:%02d", t[0], h, m), off), nil
	}
	return time.LoadLocation(s)
}
