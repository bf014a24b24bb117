package parsers

import (
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
