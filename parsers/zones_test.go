package parsers

import "testing"

func TestZoneOffset(t *testing.T) {
	tests := []struct {
		zone      string
		seconds   int
		ambiguous bool
		ok        bool
	}{
		{"UTC", 0, false, true},
		{"WIB", 7 * 3600, false, true},
		{"PDT", -7 * 3600, false, true},
		{"Z", 0, false, true},
		{"+07", 7 * 3600, false, true},
		{"+0700", 7 * 3600, false, true},
		{"+05:30", 5*3600 + 30*60, false, true},
		{"-03:00", -3 * 3600, false, true},
		{"IST", 0, true, false},
		{"CST", 0, true, false},
		{"XYZT", 0, false, false},
		{"+07:0", 0, false, false},
		{"+7", 0, false, false},
		{"+07:00:00", 0, false, false},
		{"", 0, false, false},
	}
	for _, tt := range tests {
		off, amb, ok := ZoneOffset(tt.zone)
		if off != tt.seconds || (amb != "") != tt.ambiguous || ok != tt.ok {
			t.Errorf("ZoneOffset(%q) = %d, %q, %v; want %d, ambiguous %v, %v", tt.zone, off, amb, ok, tt.seconds, tt.ambiguous, tt.ok)
		}
	}
}
