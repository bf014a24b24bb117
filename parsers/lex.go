package parsers

// A shared byte lexer for the columnar engine (issue 11, phase 2): the
// timestamp shapes of every format read at fixed offsets straight into
// Unix microseconds (Arrow's timestamp[us]), without time.Date, without
// allocating, and line boundaries found in a byte buffer with their byte
// offsets, so an event can cite file + line + offset and a large file can
// be split for parallel parsing. Nothing calls it yet: the formats move to
// it one by one, each with its golden outputs unchanged (see ENGINE.md).

import "bytes"

// usPerSecond is the unit of a lexed time: Unix microseconds.
const usPerSecond = 1_000_000

// lexDigits reads the fixed-width decimal b[i:i+n]; ok is false on any
// non-digit or when b is short.
func lexDigits(b []byte, i, n int) (int64, bool) {
	if i+n > len(b) {
		return 0, false
	}
	var v int64
	for _, c := range b[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Hinnant's days_from_civil): exact for
// every year, no tables, no time package.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn is the length of month m of year y.
func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilMicros is the wall clock y-m-d h:mi:s read as UTC, in Unix µs;
// ok is false for a date that does not exist (Feb 30) or a field out of
// range. A leap second (s = 60) reads as the next second, as time.Date
// normalises it.
func civilMicros(y, mo, d, h, mi, s int64) (int64, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 60 {
		return 0, false
	}
	return ((daysFromCivil(y, mo, d)*24+h)*60+mi)*60*usPerSecond + s*usPerSecond, true
}

// lexFraction reads an optional fraction of a second after a ',' or '.'
// at b[i:]: up to 9 digits are read, microseconds kept (truncated, as
// Arrow's timestamp[us] holds them). n is the bytes used (0 when none).
func lexFraction(b []byte, i int) (us int64, n int, ok bool) {
	if i >= len(b) || (b[i] != ',' && b[i] != '.') {
		return 0, 0, true
	}
	j := i + 1
	scale := int64(100_000)
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		us += int64(b[j]-'0') * scale
		scale /= 10
		j++
	}
	if j == i+1 {
		return 0, 0, false
	}
	return us, j - i, true
}

// LexISO reads "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS" at the
// start of b, with an optional ",mmm" / ".ffffff" fraction: Python
// logging's asctime (Django, auth_debug, the locustfile, Locust's console
// inside "[...]"), PgBouncer's prefix, isoformat(), RFC 3339 (the zone
// that may follow is LexZoneOffset's). It returns the wall clock read as
// UTC in Unix µs and the bytes used.
func LexISO(b []byte) (us int64, n int, ok bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return 0, 0, false
	}
	y, ok1 := lexDigits(b, 0, 4)
	mo, ok2 := lexDigits(b, 5, 2)
	d, ok3 := lexDigits(b, 8, 2)
	h, ok4 := lexDigits(b, 11, 2)
	mi, ok5 := lexDigits(b, 14, 2)
	s, ok6 := lexDigits(b, 17, 2)
	return lexWall(b, 19, y, mo, d, h, mi, s, ok1 && ok2 && ok3 && ok4 && ok5 && ok6)
}

// lexWall finishes a wall-clock read whose fields end at b[at]: the
// fields' validity, then the optional fraction.
func lexWall(b []byte, at int, y, mo, d, h, mi, s int64, fields bool) (us int64, n int, ok bool) {
	if !fields {
		return 0, 0, false
	}
	base, ok := civilMicros(y, mo, d, h, mi, s)
	if !ok {
		return 0, 0, false
	}
	frac, fn, ok := lexFraction(b, at)
	if !ok {
		return 0, 0, false
	}
	return base + frac, at + fn, true
}

// lexMonth reads an English month abbreviation ("Jan" … "Dec") at b[i:].
func lexMonth(b []byte, i int) (int64, bool) {
	if i+3 > len(b) {
		return 0, false
	}
	// Case-sensitive, as strftime's %b writes them.
	switch string(b[i : i+3]) { // no allocation: the compiler compares in place
	case "Jan":
		return 1, true
	case "Feb":
		return 2, true
	case "Mar":
		return 3, true
	case "Apr":
		return 4, true
	case "May":
		return 5, true
	case "Jun":
		return 6, true
	case "Jul":
		return 7, true
	case "Aug":
		return 8, true
	case "Sep":
		return 9, true
	case "Oct":
		return 10, true
	case "Nov":
		return 11, true
	case "Dec":
		return 12, true
	}
	return 0, false
}

// LexCLF reads "DD/Mon/YYYY HH:MM:SS" (Django runserver's request lines)
// or "DD/Mon/YYYY:HH:MM:SS" (the common log format) at the start of b,
// with an optional fraction, as the wall clock read as UTC in Unix µs.
func LexCLF(b []byte) (us int64, n int, ok bool) {
	if len(b) < 20 || b[2] != '/' || b[6] != '/' || (b[11] != ' ' && b[11] != ':') || b[14] != ':' || b[17] != ':' {
		return 0, 0, false
	}
	d, ok1 := lexDigits(b, 0, 2)
	mo, ok2 := lexMonth(b, 3)
	y, ok3 := lexDigits(b, 7, 4)
	h, ok4 := lexDigits(b, 12, 2)
	mi, ok5 := lexDigits(b, 15, 2)
	s, ok6 := lexDigits(b, 18, 2)
	return lexWall(b, 20, y, mo, d, h, mi, s, ok1 && ok2 && ok3 && ok4 && ok5 && ok6)
}

// LexZoneOffset reads a numeric zone at the start of b: "Z", "+07:00",
// "+0700" or "+07", as seconds east of UTC and the bytes used.
func LexZoneOffset(b []byte) (off int64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] == 'Z' {
		return 0, 1, true
	}
	if b[0] != '+' && b[0] != '-' {
		return 0, 0, false
	}
	h, ok := lexDigits(b, 1, 2)
	if !ok || h > 14 {
		return 0, 0, false
	}
	var m int64
	n = 3
	if len(b) >= 6 && b[3] == ':' {
		if m, ok = lexDigits(b, 4, 2); !ok {
			return 0, 0, false
		}
		n = 6
	} else if v, ok := lexDigits(b, 3, 2); ok {
		m, n = v, 5
	}
	if m > 59 {
		return 0, 0, false
	}
	off = h*3600 + m*60
	if b[0] == '-' {
		off = -off
	}
	return off, n, true
}

// LexRFC3339 reads an ISO time with its zone ("2026-01-10T23:34:14.460123Z",
// "2026-01-11T06:34:14+07:00": `docker logs -t`, Locust's HTML report) as
// real UTC in Unix µs.
func LexRFC3339(b []byte) (us int64, n int, ok bool) {
	us, n, ok = LexISO(b)
	if !ok {
		return 0, 0, false
	}
	off, zn, ok := LexZoneOffset(b[n:])
	if !ok {
		return 0, 0, false
	}
	return us - off*usPerSecond, n + zn, true
}

// LexEpoch reads Unix seconds with an optional fraction at the start of b
// ("1795959962", "1795959962.5": Locust's stats history) as Unix µs.
func LexEpoch(b []byte) (us int64, n int, ok bool) {
	var sec int64
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		if n == 12 { // past year 33658: not a log's epoch
			return 0, 0, false
		}
		sec = sec*10 + int64(b[n]-'0')
		n++
	}
	if n == 0 {
		return 0, 0, false
	}
	frac := int64(0)
	if n < len(b) && b[n] == '.' {
		f, fn, ok := lexFraction(b, n)
		if !ok {
			return 0, 0, false
		}
		frac, n = f, n+fn
	}
	return sec*usPerSecond + frac, n, true
}

// LineScanner splits a buffer of whole lines into lines with their 1-based
// numbers and the byte offset of their first byte, without copying: the
// position an event cites (file id + line + offset) to read its evidence
// back from the file at report time. A chunk of a file split for parallel
// parsing starts at a known line and offset (SplitLines).
type LineScanner struct {
	buf  []byte
	pos  int
	line int64 // number of the last line returned
	base int64 // file offset of buf[0]
}

// NewLineScanner scans buf, whose first byte is at file offset base and
// starts line firstLine.
func NewLineScanner(buf []byte, base, firstLine int64) *LineScanner {
	return &LineScanner{buf: buf, base: base, line: firstLine - 1}
}

// Next returns the next line without its terminator ("\n" or "\r\n"), its
// number and its file offset; ok is false at the end of the buffer.
func (s *LineScanner) Next() (text []byte, line, off int64, ok bool) {
	if s.pos >= len(s.buf) {
		return nil, 0, 0, false
	}
	start := s.pos
	end := len(s.buf)
	if i := bytes.IndexByte(s.buf[start:], '\n'); i >= 0 {
		end = start + i
		s.pos = end + 1
	} else {
		s.pos = end
	}
	text = s.buf[start:end]
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	s.line++
	return text, s.line, s.base + int64(start), true
}

// SplitLines cuts buf into at most parts chunks of about equal size, each
// ending just after a '\n' (the last at the end of buf), and returns the
// offsets where the chunks start: chunk k is buf[starts[k]:starts[k+1]].
// A record that spans a cut (a traceback) is stitched by its format when
// the chunks' results are merged, in chunk order.
func SplitLines(buf []byte, parts int) []int {
	starts := []int{0}
	if parts <= 1 || len(buf) == 0 {
		return starts
	}
	for k := 1; k < parts; k++ {
		at := len(buf) * k / parts
		prev := starts[len(starts)-1]
		if at <= prev {
			continue
		}
		i := bytes.IndexByte(buf[at:], '\n')
		if i < 0 {
			break
		}
		cut := at + i + 1
		if cut >= len(buf) {
			break
		}
		if cut > prev {
			starts = append(starts, cut)
		}
	}
	return starts
}

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
