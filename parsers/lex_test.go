package parsers

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"
)

func us(t time.Time) int64 { return t.UnixMicro() }

func TestLexTimestamps(t *testing.T) {
	utc := func(s string) int64 {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return us(v)
	}
	tests := []struct {
		name string
		lex  func([]byte) (int64, int, bool)
		in   string
		want int64 // Unix µs
		n    int
		ok   bool
	}{
		{"asctime", LexISO, "2026-11-29 20:46:02,352 DEBUG auth_debug", utc("2026-11-29T20:46:02.352Z"), 23, true},
		{"isoformat µs", LexISO, "2026-11-29T20:46:14.523450 login_server_error", utc("2026-11-29T20:46:14.52345Z"), 26, true},
		{"pgbouncer ms", LexISO, "2026-11-29 20:45:58.760 WIB [25331] LOG", utc("2026-11-29T20:45:58.76Z"), 23, true},
		{"no fraction", LexISO, "2026-01-11 12:59:17 x", utc("2026-01-11T12:59:17Z"), 19, true},
		{"ns truncated to µs", LexISO, "2026-01-11T12:59:17.123456789", utc("2026-01-11T12:59:17.123456Z"), 29, true},
		{"leap day", LexISO, "2024-02-29 00:00:00", utc("2024-02-29T00:00:00Z"), 19, true},
		{"no Feb 29 in 2026", LexISO, "2026-02-29 00:00:00", 0, 0, false},
		{"no Feb 29 in 1900", LexISO, "1900-02-29 00:00:00", 0, 0, false},
		{"bad month", LexISO, "2026-13-01 00:00:00", 0, 0, false},
		{"bad hour", LexISO, "2026-01-01 24:00:00", 0, 0, false},
		{"dot without digits", LexISO, "2026-01-01 10:00:00. x", 0, 0, false},
		{"short", LexISO, "2026-01-01 10:00", 0, 0, false},
		{"letters", LexISO, "2026-0a-01 10:00:00", 0, 0, false},
		{"before 1970", LexISO, "1969-12-31 23:59:59,5", utc("1969-12-31T23:59:59.5Z"), 21, true},
		{"runserver", LexCLF, `29/Nov/2026 20:46:02] "GET /accounts/login/ HTTP/1.1" 200`, utc("2026-11-29T20:46:02Z"), 20, true},
		{"common log format", LexCLF, "10/Oct/2000:13:55:36 -0700", utc("2000-10-10T13:55:36Z"), 20, true},
		{"bad month name", LexCLF, "29/Nox/2026 20:46:02", 0, 0, false},
		{"lower-case month", LexCLF, "29/nov/2026 20:46:02", 0, 0, false},
		{"31 Nov", LexCLF, "31/Nov/2026 20:46:02", 0, 0, false},
		{"docker -t", LexRFC3339, "2026-01-10T23:34:14.460123456Z 2026-01-10 23:34:14.460 UTC", utc("2026-01-10T23:34:14.460123Z"), 30, true},
		{"with offset", LexRFC3339, "2026-01-11T06:34:14+07:00", utc("2026-01-10T23:34:14Z"), 25, true},
		{"compact offset", LexRFC3339, "2026-01-11T06:34:14-0330", utc("2026-01-11T10:04:14Z"), 24, true},
		{"no zone", LexRFC3339, "2026-01-11T06:34:14 x", 0, 0, false},
		{"epoch", LexEpoch, "1795959962,0,,Aggregated", 1795959962 * usPerSecond, 10, true},
		{"epoch fraction", LexEpoch, "1795959962.25", 1795959962*usPerSecond + 250_000, 13, true},
		{"not a number", LexEpoch, "Timestamp,User Count", 0, 0, false},
		{"too many digits", LexEpoch, "1795959962000000", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n, ok := tc.lex([]byte(tc.in))
			if ok != tc.ok || (ok && (got != tc.want || n != tc.n)) {
				t.Errorf("%q: got %d (%s) n=%d ok=%v, want %d (%s) n=%d ok=%v", tc.in,
					got, time.UnixMicro(got).UTC().Format(time.RFC3339Nano), n, ok,
					tc.want, time.UnixMicro(tc.want).UTC().Format(time.RFC3339Nano), tc.n, tc.ok)
			}
		})
	}
}

func TestLexZoneOffset(t *testing.T) {
	tests := []struct {
		in     string
		off    int64
		n      int
		wantOK bool
	}{
		{"Z", 0, 1, true}, {"+07:00", 25200, 6, true}, {"+0700", 25200, 5, true}, {"+07", 25200, 3, true},
		{"-03:30", -12600, 6, true}, {"+05:45 x", 20700, 6, true}, {"+15:00", 0, 0, false}, {"+07:60", 0, 0, false},
		{"WIB", 0, 0, false}, {"", 0, 0, false}, {"+7", 0, 0, false},
	}
	for _, tc := range tests {
		off, n, ok := LexZoneOffset([]byte(tc.in))
		if ok != tc.wantOK || (ok && (off != tc.off || n != tc.n)) {
			t.Errorf("%q: %d %d %v, want %d %d %v", tc.in, off, n, ok, tc.off, tc.n, tc.wantOK)
		}
	}
}

// Every day from 1600 to 2400 lands where time.Date puts it.
func TestDaysFromCivil(t *testing.T) {
	for d := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2400; d = d.AddDate(0, 0, 1) {
		y, m, day := d.Date()
		if got, want := daysFromCivil(int64(y), int64(m), int64(day)), d.Unix()/86400; got != want {
			t.Fatalf("%s: day %d, want %d", d.Format("2006-01-02"), got, want)
		}
	}
}

func FuzzLexISO(f *testing.F) {
	for _, s := range []string{"2026-11-29 20:46:02,352 DEBUG", "2026-11-29T20:46:14.523450", "2024-02-29 23:59:60", "0000-01-01 00:00:00", "9999-12-31T23:59:59.999999999"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, n, ok := LexISO(b)
		// The reference: the same fields through time.Date, which rejects
		// nothing, so the day must survive the round trip.
		want, wn, wok := refISO(b)
		if ok != wok || (ok && (got != want || n != wn)) {
			t.Fatalf("%q: lex %d %d %v, reference %d %d %v", b, got, n, ok, want, wn, wok)
		}
	})
}

func refISO(b []byte) (int64, int, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return 0, 0, false
	}
	var f [6]int
	for i, sp := range [][2]int{{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}} {
		for _, c := range b[sp[0] : sp[0]+sp[1]] {
			if c < '0' || c > '9' {
				return 0, 0, false
			}
			f[i] = f[i]*10 + int(c-'0')
		}
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[3] > 23 || f[4] > 59 || f[5] > 60 {
		return 0, 0, false
	}
	day := time.Date(f[0], time.Month(f[1]), f[2], 0, 0, 0, 0, time.UTC)
	if day.Day() != f[2] {
		return 0, 0, false // Feb 30 rolled into March
	}
	n, frac := 19, 0
	if n < len(b) && (b[n] == ',' || b[n] == '.') {
		j, scale := n+1, 100000
		for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
			frac += int(b[j]-'0') * scale
			scale /= 10
		}
		if j == n+1 {
			return 0, 0, false
		}
		n = j
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], frac*1000, time.UTC)
	return t.UnixMicro(), n, true
}

func TestLineScanner(t *testing.T) {
	file := []byte("first\r\nsecond\n\nfourth without newline")
	s := NewLineScanner(file, 0, 1)
	var got []string
	for {
		text, line, off, ok := s.Next()
		if !ok {
			break
		}
		// The offset reads the line back from the file, verbatim.
		if !bytes.HasPrefix(file[off:], text) {
			t.Errorf("line %d at %d: %q not at its offset", line, off, text)
		}
		got = append(got, fmt.Sprintf("%d@%d:%s", line, off, text))
	}
	want := "[1@0:first 2@7:second 3@14: 4@15:fourth without newline]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

// Chunks cut at line ends, scanned each from its own line and offset, give
// the lines of the whole buffer: the basis of splitting a large file.
func TestSplitLines(t *testing.T) {
	var buf []byte
	for i := range 1000 {
		buf = fmt.Appendf(buf, "2026-11-29 20:46:%02d,000 ERROR line %d %s\n", i%60, i, bytes.Repeat([]byte("x"), i%37))
	}
	whole := scanAll(buf, 0, 1)
	for _, parts := range []int{1, 2, 3, 7, 64, 5000} {
		starts := SplitLines(buf, parts)
		if starts[0] != 0 || len(starts) > max(parts, 1) {
			t.Fatalf("parts %d: starts %v", parts, starts)
		}
		var got []string
		line := int64(1)
		for k, st := range starts {
			end := len(buf)
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			if st > 0 && buf[st-1] != '\n' {
				t.Fatalf("parts %d: chunk %d starts mid-line at %d", parts, k, st)
			}
			lines := scanAll(buf[st:end], int64(st), line)
			line += int64(len(lines))
			got = append(got, lines...)
		}
		if fmt.Sprint(got) != fmt.Sprint(whole) {
			t.Errorf("parts %d: chunked scan differs from the whole", parts)
		}
	}
}

func scanAll(buf []byte, base, first int64) []string {
	var out []string
	s := NewLineScanner(buf, base, first)
	for {
		text, line, off, ok := s.Next()
		if !ok {
			return out
		}
		out = append(out, fmt.Sprintf("%d@%d:%s", line, off, text))
	}
}

// The lexer reads a timestamp with no allocation; time.Parse is the
// yardstick.
func BenchmarkLex(b *testing.B) {
	iso := []byte("2026-11-29 20:46:02,352 DEBUG auth_debug auth_request method=GET path=/accounts/login/")
	clf := []byte(`29/Nov/2026 20:46:02] "GET /accounts/login/ HTTP/1.1" 200 1272`)
	rfc := []byte("2026-01-10T23:34:14.460123456Z 2026-01-10 23:34:14.460 UTC [1] LOG")
	epoch := []byte("1795959962,10,,Aggregated,0.000000,0.000000,290,360")
	var sink int64
	for _, bc := range []struct {
		name string
		lex  func([]byte) (int64, int, bool)
		in   []byte
	}{{"ISO", LexISO, iso}, {"CLF", LexCLF, clf}, {"RFC3339", LexRFC3339, rfc}, {"Epoch", LexEpoch, epoch}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, _, ok := bc.lex(bc.in)
				if !ok {
					b.Fatal("not lexed")
				}
				sink += v
			}
		})
	}
	b.Run("time.Parse", func(b *testing.B) {
		b.ReportAllocs()
		s := string(iso[:23])
		for b.Loop() {
			v, err := time.Parse("2006-01-02 15:04:05,000", s)
			if err != nil {
				b.Fatal(err)
			}
			sink += v.UnixMicro()
		}
	})
	b.Run("LineScanner", func(b *testing.B) {
		var buf []byte
		for range 1000 {
			buf = append(append(buf, iso...), '\n')
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			s := LineScanner{buf: buf}
			for {
				text, _, _, ok := s.Next()
				if !ok {
					break
				}
				v, _, _ := LexISO(text)
				sink += v
			}
		}
	})
	_ = sink
}

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
