package parsers

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestLoadZone(t *testing.T) {
	at := time.Date(2026, 1, 11, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in      string
		offsetS int
		ok      bool
	}{
		{"Asia/Jakarta", 7 * 3600, true},
		{"UTC", 0, true},
		{"+07:00", 7 * 3600, true},
		{"+0800", 8 * 3600, true},
		{"-0330", -(3*3600 + 30*60), true},
		{"+7", 7 * 3600, true},
		{"UTC+8", 8 * 3600, true},
		{"GMT-03:00", -3 * 3600, true},
		{"+15:00", 0, false},
		{"Mars/Olympus", 0, false},
	}
	for _, c := range cases {
		loc, err := LoadZone(c.in)
		if (err == nil) != c.ok {
			t.Errorf("LoadZone(%q): err %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if err != nil {
			continue
		}
		if _, off := at.In(loc).Zone(); off != c.offsetS {
			t.Errorf("LoadZone(%q): offset %d, want %d", c.in, off, c.offsetS)
		}
	}
}

// TestDateCacheIsParseDateTime: the cache answers what parseDateTime
// answers, line after line, whether a line repeats the minute before it
// or not: valid and invalid seconds (60 runs into the next minute),
// fractions with and without digits, a month's last days, and prefixes
// cut short.
func TestDateCacheIsParseDateTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	heads := []string{"2026-11-29 20:26", "2026-11-29 20:27", "2026-02-31 23:59", "2026-12-31 23:59", "2026-11-29T20:26", "2026-13-01 00:00", "2026-11-29 24:00", "2026-1x-29 20:26"}
	tails := []string{"", ",", ".", ",1", ".123", ",123456", ".1234567891234", " WIB", "x", ".12 LOG"}
	var dc dateCache
	for range 20_000 {
		line := heads[rng.IntN(len(heads))]
		switch rng.IntN(10) {
		case 0:
			line += ":6" // cut short
		case 1:
			line += ":" + string(rune('0'+rng.IntN(10))) + "x"
		case 2:
			line += "-" + fmt.Sprintf("%02d", rng.IntN(61))
		default:
			line += ":" + fmt.Sprintf("%02d", rng.IntN(62))
		}
		line += tails[rng.IntN(len(tails))]
		want, wn, wok := parseDateTime([]byte(line))
		got, gn, gok := dc.parse([]byte(line))
		if gok != wok || gn != wn || !got.Equal(want) || got != want {
			t.Fatalf("%q: cache says %v %d %v, parseDateTime %v %d %v", line, got, gn, gok, want, wn, wok)
		}
	}
}
