package parsers

import "bytes"

// Record-like lines: a line that begins the way a record of some log
// format logcorr knows begins. A parser that folds such a line into the
// record above it (a Locust console record swallowed by a Django
// traceback, a level-first Django line read as a message continuation) has
// most likely misread the file: detection penalises it, the audit counts
// and quotes those lines, and --min-parsed does not count them as
// understood. Continuation lines of real records (traceback frames,
// exception lines, wrapped messages, table rows) never begin like this.

// recordStart reports whether b begins like a log record: a timestamp
// ("2026-01-11 12:59:17", "2026-01-11T03:42:27Z"), a bracketed timestamp
// ("[2026-11-29 18:57:27,364]", "[29/Nov/2026 18:57:27]",
// "[2016/04/12 17:54:57]"), a level before a timestamp or a request
// ("ERROR 2024-03-01 10:00:00,123 ...", `WARNING basehttp "GET /x ...`),
// Django's untimed request-failure lines ("Not Found: /x"), or a
// channels/daphne request line ("HTTP GET / 200 [0.01, ...]"). It only
// looks at the first bytes and allocates nothing.
func recordStart(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	switch c := b[0]; {
	case c >= '0' && c <= '9':
		return dateTimeAt(b, 0)
	case c == '[':
		return dateTimeAt(b, 1) || serverTimeAt(b, 1) || slashDateTimeAt(b, 1)
	case c >= 'A' && c <= 'Z':
		if levelFirst(b) {
			return true
		}
		if _, _, ok := djangoReason(b); ok {
			return true
		}
		return channelsLine(b)
	}
	return false
}

// dateTimeAt reports "YYYY-MM-DD HH:MM:SS" (or with 'T') at b[i:], by shape.
func dateTimeAt(b []byte, i int) bool {
	if len(b) < i+19 {
		return false
	}
	d := b[i:]
	return digits(d[0:4]) && d[4] == '-' && digits(d[5:7]) && d[7] == '-' && digits(d[8:10]) &&
		(d[10] == ' ' || d[10] == 'T') && digits(d[11:13]) && d[13] == ':' && digits(d[14:16]) && d[16] == ':'
}

// serverTimeAt reports Django's server_time "DD/Mon/YYYY HH:MM:SS" (or
// Apache's "DD/Mon/YYYY:HH:MM:SS") at b[i:].
func serverTimeAt(b []byte, i int) bool {
	if len(b) < i+20 {
		return false
	}
	d := b[i:]
	return digits(d[0:2]) && d[2] == '/' && d[6] == '/' && digits(d[7:11]) && (d[11] == ' ' || d[11] == ':') &&
		digits(d[12:14]) && d[14] == ':'
}

// slashDateTimeAt reports channels' "YYYY/MM/DD HH:MM:SS" at b[i:].
func slashDateTimeAt(b []byte, i int) bool {
	if len(b) < i+19 {
		return false
	}
	d := b[i:]
	return digits(d[0:4]) && d[4] == '/' && digits(d[5:7]) && d[7] == '/' && digits(d[8:10]) && d[10] == ' ' &&
		digits(d[11:13]) && d[13] == ':'
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// levelFirst reports a line that starts with a Python level name followed
// by a timestamp (Django's "verbose" formatter, padded levels included) or
// by a quoted request (the "simple" formatter on django.server).
func levelFirst(b []byte) bool {
	lv, rest := pyWord(b)
	if pyLevel(lv) == "" {
		return false
	}
	rest = bytes.TrimLeft(rest, " ")
	if dateTimeAt(rest, 0) {
		return true
	}
	if len(rest) > 0 && rest[0] == '"' {
		_, ok := parseRequest(rest)
		return ok
	}
	_, msg := pyWord(rest)
	if len(msg) > 0 && msg[0] == '"' {
		_, ok := parseRequest(msg)
		return ok
	}
	return false
}

// likeBits marks, by line number, the lines of a file that begin like a
// record. It grows only when a line is marked, so a file with none costs
// nothing.
type likeBits []uint64

func (s *likeBits) set(n int64) {
	i := int(n >> 6)
	if i >= len(*s) {
		grow := make([]uint64, i+1+len(*s)/2)
		copy(grow, *s)
		*s = grow
	}
	(*s)[i] |= 1 << uint(n&63)
}

func (s likeBits) has(n int64) bool {
	i := int(n >> 6)
	return i < len(s) && s[i]&(1<<uint(n&63)) != 0
}
