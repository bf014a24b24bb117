package scale

import (
	"bytes"
	"strconv"
	"time"
)

// stampShape is the shape of a timestamp found in a line.
type stampShape uint8

const (
	// shapeISO is "2026-11-29 20:46:02" or "2026-11-29T20:46:02": Python
	// logging's asctime (Django, auth_debug, the locustfile's logs, Locust's
	// console log inside "[...]"), PgBouncer's prefix, isoformat().
	shapeISO stampShape = iota
	// shapeCLF is "29/Nov/2026 20:46:02": runserver's request lines.
	shapeCLF
	// shapeEpoch is a whole field of Unix seconds: the first column of a
	// _stats_history.csv data row.
	shapeEpoch
)

// stamp is one timestamp in a template line: bytes [off, off+n) of the
// line, the second it names (a wall clock read as UTC, or an epoch).
type stamp struct {
	off, n int
	shape  stampShape
	sec    int64
}

// line is one template line (without its newline) and its timestamps.
type line struct {
	text   []byte
	stamps []stamp
	// rec is the second of the record the line belongs to: its own first
	// timestamp, else the previous timestamped line's (a traceback's
	// continuation lines, Locust's stats tables). valid is false before
	// the file's first timestamp.
	rec   int64
	valid bool
}

// template is a file split into lines with their timestamps located once,
// so that every night only formats the shifted seconds.
type template struct {
	lines []line
	// lo, hi are the first and last second named in the file.
	lo, hi int64
	any    bool
}

// newTemplate reads a log file's bytes; epochs says the file is a stats
// history whose data rows start with Unix seconds (the header is kept as
// is).
func newTemplate(data []byte, epochs bool) *template {
	t := &template{}
	var rec int64
	valid := false
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var ln []byte
		if i < 0 {
			ln, data = data, nil
		} else {
			ln, data = data[:i], data[i+1:]
		}
		l := line{text: ln}
		if epochs {
			l.stamps = epochStamp(ln)
		} else {
			l.stamps = findStamps(ln)
		}
		if len(l.stamps) > 0 {
			rec, valid = l.stamps[0].sec, true
			for _, s := range l.stamps {
				if !t.any || s.sec < t.lo {
					t.lo = s.sec
				}
				if !t.any || s.sec > t.hi {
					t.hi = s.sec
				}
				t.any = true
			}
		}
		l.rec, l.valid = rec, valid
		t.lines = append(t.lines, l)
	}
	return t
}

// epochStamp finds the Unix seconds leading a CSV row.
func epochStamp(ln []byte) []stamp {
	n := 0
	for n < len(ln) && ln[n] >= '0' && ln[n] <= '9' {
		n++
	}
	if n < 9 || n > 11 || (n < len(ln) && ln[n] != ',') {
		return nil
	}
	v, err := strconv.ParseInt(string(ln[:n]), 10, 64)
	if err != nil {
		return nil
	}
	return []stamp{{off: 0, n: n, shape: shapeEpoch, sec: v}}
}

// findStamps locates every ISO or CLF timestamp in a line.
func findStamps(ln []byte) []stamp {
	var out []stamp
	for i := 0; i+19 <= len(ln); {
		if s, ok := isoAt(ln, i); ok {
			out = append(out, s)
			i += s.n
			continue
		}
		if s, ok := clfAt(ln, i); ok {
			out = append(out, s)
			i += s.n
			continue
		}
		i++
	}
	return out
}

func digits(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// isoAt reads "YYYY-MM-DD[ T]HH:MM:SS" at ln[i:].
func isoAt(ln []byte, i int) (stamp, bool) {
	b := ln[i : i+19]
	if b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return stamp{}, false
	}
	if i > 0 && ln[i-1] >= '0' && ln[i-1] <= '9' {
		return stamp{}, false
	}
	y, ok1 := digits(b[0:4])
	mo, ok2 := digits(b[5:7])
	d, ok3 := digits(b[8:10])
	h, ok4 := digits(b[11:13])
	mi, ok5 := digits(b[14:16])
	s, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return stamp{}, false
	}
	sec := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Unix()
	return stamp{off: i, n: 19, shape: shapeISO, sec: sec}, true
}

var monthAbbr = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// clfAt reads "DD/Mon/YYYY HH:MM:SS" at ln[i:] (20 bytes).
func clfAt(ln []byte, i int) (stamp, bool) {
	if i+20 > len(ln) {
		return stamp{}, false
	}
	b := ln[i : i+20]
	if b[2] != '/' || b[6] != '/' || b[11] != ' ' || b[14] != ':' || b[17] != ':' {
		return stamp{}, false
	}
	mo := -1
	for k, m := range monthAbbr {
		if string(b[3:6]) == m {
			mo = k + 1
		}
	}
	d, ok1 := digits(b[0:2])
	y, ok2 := digits(b[7:11])
	h, ok3 := digits(b[12:14])
	mi, ok4 := digits(b[15:17])
	s, ok5 := digits(b[18:20])
	if mo < 0 || !(ok1 && ok2 && ok3 && ok4 && ok5) || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return stamp{}, false
	}
	sec := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Unix()
	return stamp{off: i, n: 20, shape: shapeCLF, sec: sec}, true
}

// appendStamp writes the second sec in the shape of s, keeping the
// separator the template used.
func appendStamp(dst []byte, s stamp, orig []byte, sec int64) []byte {
	if s.shape == shapeEpoch {
		return strconv.AppendInt(dst, sec, 10)
	}
	t := time.Unix(sec, 0).UTC()
	y, mo, d := t.Date()
	h, mi, se := t.Clock()
	two := func(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }
	switch s.shape {
	case shapeISO:
		dst = strconv.AppendInt(dst, int64(y), 10)
		dst = append(dst, '-')
		dst = two(dst, int(mo))
		dst = append(dst, '-')
		dst = two(dst, d)
		dst = append(dst, orig[s.off+10])
	case shapeCLF:
		dst = two(dst, d)
		dst = append(dst, '/')
		dst = append(dst, monthAbbr[mo-1]...)
		dst = append(dst, '/')
		dst = strconv.AppendInt(dst, int64(y), 10)
		dst = append(dst, ' ')
	}
	dst = two(dst, h)
	dst = append(dst, ':')
	dst = two(dst, mi)
	dst = append(dst, ':')
	return two(dst, se)
}

// appendLine writes l with every timestamp moved by delta seconds, and a
// newline.
func appendLine(dst []byte, l *line, delta int64) []byte {
	prev := 0
	for _, s := range l.stamps {
		dst = append(dst, l.text[prev:s.off]...)
		dst = appendStamp(dst, s, l.text, s.sec+delta)
		prev = s.off + s.n
	}
	dst = append(dst, l.text[prev:]...)
	return append(dst, '\n')
}
