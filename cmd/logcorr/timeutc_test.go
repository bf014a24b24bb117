package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// parse --out writes time_utc: the same clock decision analyze makes
// (inferred, or --tz), applied in one place. On the pool-exhaustion sample
// the naive Django-side files are 7 h ahead of UTC and PgBouncer prints
// WIB: every naive row's time_utc is its time minus 7 h, every zoned row's
// time_utc is its time.
func TestParseOutTimeUTC(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"inferred", nil},
		{"--tz", []string{"--tz", "Asia/Jakarta"}},
		{"--tz-source", []string{"--tz-source", "django=+07:00", "--tz-source", "runserver=+07:00", "--tz-source", "auth_debug=+07:00",
			"--tz-source", "locust_console=+07:00", "--tz-source", "locust_auth=+07:00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "t.jsonl")
			args := append(append([]string{"parse", "--out", out}, tc.args...), poolSample)
			if _, stderr, code := invoke(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := os.Open(filepath.Join(dir, "t.events.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 1<<22)
			counts := map[string]int{}
			for sc.Scan() {
				var row struct {
					Time   *time.Time `json:"time"`
					UTC    *time.Time `json:"time_utc"`
					Naive  bool       `json:"time_naive"`
					Source string     `json:"source"`
					File   string     `json:"file"`
					Line   int64      `json:"line"`
					Offset *int64     `json:"offset"`
				}
				if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
					t.Fatal(err)
				}
				if row.Time == nil || row.UTC == nil || row.Offset == nil {
					if row.Time != nil && row.UTC == nil {
						t.Errorf("%s:%d has a time but no time_utc", row.File, row.Line)
					}
					continue
				}
				want := *row.Time
				if row.Naive {
					want = want.Add(-7 * time.Hour)
				}
				if !row.UTC.Equal(want) {
					t.Fatalf("%s:%d (%s): time %s, time_utc %s, want %s", row.File, row.Line, row.Source, row.Time, row.UTC, want)
				}
				counts[row.Source]++
			}
			for _, src := range []string{"django", "runserver", "pgbouncer", "auth_debug", "locust_console"} {
				if counts[src] == 0 {
					t.Errorf("no %s row checked (%v)", src, counts)
				}
			}
		})
	}
}
