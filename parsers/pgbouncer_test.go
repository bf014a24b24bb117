package parsers

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPgbouncerLines(t *testing.T) {
	wib := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05.000 -07:00", s+" +07:00")
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	tests := []struct {
		name  string
		line  string
		time  time.Time
		naive bool
		zone  string
		level string
		kind  string
		user  string
		exc   string
		attrs map[string]string
	}{
		{
			name: "pooler error", line: "2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout",
			time: wib("2026-11-29 18:57:27.303"), zone: "WIB", level: "WARNING", kind: KindPoolerError, user: "rabapp", exc: "query_wait_timeout",
			attrs: map[string]string{"pid": "19202", "conn": "C-0x555ee7b7d930", "side": "client", "db": "rabdb", "user": "rabapp", "client": "127.0.0.1:44202", "error": "query_wait_timeout"},
		},
		{
			name: "closing client close request", line: "2026-11-29 18:57:01.607 WIB [19202] LOG C-0x555ee7b7cd50: rabdb/rabapp@127.0.0.1:37638 closing because: client close request (age=0s)",
			time: wib("2026-11-29 18:57:01.607"), zone: "WIB", level: "LOG", kind: KindClosing, user: "rabapp",
			attrs: map[string]string{"pid": "19202", "conn": "C-0x555ee7b7cd50", "side": "client", "db": "rabdb", "user": "rabapp", "client": "127.0.0.1:37638", "reason": "client close request", "age_s": "0"},
		},
		{
			name: "closing query_wait_timeout", line: "2026-11-29 18:57:27.303 WIB [19202] LOG C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 closing because: query_wait_timeout (age=120s)",
			time: wib("2026-11-29 18:57:27.303"), zone: "WIB", level: "LOG", kind: KindClosing, user: "rabapp",
			attrs: map[string]string{"pid": "19202", "conn": "C-0x555ee7b7d930", "side": "client", "db": "rabdb", "user": "rabapp", "client": "127.0.0.1:44202", "reason": "query_wait_timeout", "age_s": "120"},
		},
		{
			name: "login attempt", line: "2026-11-29 18:57:01.074 WIB [19202] LOG C-0x555ee7b7caf0: rabdb/rabapp@127.0.0.1:37634 login attempt: db=rabdb user=rabapp tls=no",
			time: wib("2026-11-29 18:57:01.074"), zone: "WIB", level: "LOG", kind: KindLoginAttempt, user: "rabapp",
			attrs: map[string]string{"pid": "19202", "conn": "C-0x555ee7b7caf0", "side": "client", "db": "rabdb", "user": "rabapp", "client": "127.0.0.1:37634", "tls": "no"},
		},
		{
			name: "server connection", line: "2026-11-29 18:57:01.074 WIB [19202] LOG S-0x555ee7b841d0: rabdb/rabapp@127.0.0.1:5432 new connection to server (from 127.0.0.1:40446)",
			time: wib("2026-11-29 18:57:01.074"), zone: "WIB", level: "LOG", kind: KindNewConnection, user: "rabapp",
			attrs: map[string]string{"pid": "19202", "conn": "S-0x555ee7b841d0", "side": "server", "db": "rabdb", "user": "rabapp", "server": "127.0.0.1:5432", "local": "127.0.0.1:40446"},
		},
		{
			name: "reserve pool", line: "2026-11-29 18:57:11.259 WIB [19202] WARNING C-0x555ee7b7ee90: rabdb/rabapp@127.0.0.1:39294 taking connection from reserve_pool",
			time: wib("2026-11-29 18:57:11.259"), zone: "WIB", level: "WARNING", kind: KindLog, user: "rabapp",
			attrs: map[string]string{"pid": "19202", "conn": "C-0x555ee7b7ee90", "side": "client", "db": "rabdb", "user": "rabapp", "client": "127.0.0.1:39294", "event": "reserve_pool"},
		},
		{
			name: "stats 1.18", line: "2026-11-29 18:57:10.637 WIB [19202] LOG stats: 21 xacts/s, 28 queries/s, in 4772 B/s, out 5994 B/s, xact 219145 us, query 167213 us, wait 3820653 us",
			time: wib("2026-11-29 18:57:10.637"), zone: "WIB", level: "LOG", kind: KindStats,
			attrs: map[string]string{"pid": "19202", "xacts_per_s": "21", "queries_per_s": "28", "in_bytes_per_s": "4772", "out_bytes_per_s": "5994", "xact_us": "219145", "query_us": "167213", "wait_us": "3820653"},
		},
		{
			name: "stats 1.21", line: "2026-01-10 23:34:14.460 UTC [1] LOG stats: 0 xacts/s, 0 queries/s, 0 client parses/s, 0 server parses/s, 0 binds/s, in 0 B/s, out 0 B/s, xact 0 us, query 0 us, wait 0 us",
			time: time.Date(2026, 1, 10, 23, 34, 14, 460e6, time.UTC), zone: "UTC", level: "LOG", kind: KindStats,
			attrs: map[string]string{"pid": "1", "xacts_per_s": "0", "queries_per_s": "0", "client_parses_per_s": "0", "server_parses_per_s": "0", "binds_per_s": "0", "in_bytes_per_s": "0", "out_bytes_per_s": "0", "xact_us": "0", "query_us": "0", "wait_us": "0"},
		},
		{
			name: "stats old release, bare pid, no zone", line: "2012-05-01 10:00:00.000 4321 LOG Stats: 12 req/s, in 1234 b/s, out 5678 b/s, query 456 us",
			time: time.Date(2012, 5, 1, 10, 0, 0, 0, time.UTC), naive: true, level: "LOG", kind: KindStats,
			attrs: map[string]string{"pid": "4321", "req_per_s": "12", "in_bytes_per_s": "1234", "out_bytes_per_s": "5678", "query_us": "456"},
		},
		{
			name: "banner", line: "2026-11-29 18:57:00.637 WIB [19202] LOG process up: PgBouncer 1.18.0, libevent 2.1.12-stable (epoll), adns: c-ares 1.18.1, tls: OpenSSL 3.0.19 27 Jan 2026",
			time: wib("2026-11-29 18:57:00.637"), zone: "WIB", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "19202"},
		},
		{
			name: "sigterm", line: "2026-11-29 18:58:34.784 WIB [19202] LOG got SIGTERM, fast exit",
			time: wib("2026-11-29 18:58:34.784"), zone: "WIB", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "19202"},
		},
		{
			name: "docker -t prefix", line: "2026-01-11T03:59:17.123456789Z 2026-01-11 03:59:17.123 UTC [1] WARNING C-0x613ccfd18050: pooler error: query_wait_timeout",
			time: time.Date(2026, 1, 11, 3, 59, 17, 123e6, time.UTC), zone: "UTC", level: "WARNING", kind: KindPoolerError, exc: "query_wait_timeout",
			attrs: map[string]string{"pid": "1", "conn": "C-0x613ccfd18050", "side": "client", "error": "query_wait_timeout", "docker_time": "2026-01-11T03:59:17.123456789Z"},
		},
		{
			name: "numeric zone", line: "2026-01-11 10:59:17.123 +07 [1] LOG listening on 0.0.0.0:6432",
			time: time.Date(2026, 1, 11, 3, 59, 17, 123e6, time.UTC), zone: "+07", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "1"},
		},
		{
			name: "numeric zone with minutes", line: "2026-01-11 10:59:17.123 -0330 [1] LOG listening on 0.0.0.0:6432",
			time: time.Date(2026, 1, 11, 14, 29, 17, 123e6, time.UTC), zone: "-0330", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "1"},
		},
		{
			name: "ambiguous zone stays naive", line: "2026-01-11 10:59:17.123 IST [1] LOG listening on 0.0.0.0:6432",
			time: time.Date(2026, 1, 11, 10, 59, 17, 123e6, time.UTC), naive: true, zone: "IST", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "1"},
		},
		{
			name: "ambiguous zone pinned by docker time", line: "2026-01-11T05:29:17.123Z 2026-01-11 10:59:17.123 IST [1] LOG listening on 0.0.0.0:6432",
			time: time.Date(2026, 1, 11, 5, 29, 17, 123e6, time.UTC), zone: "IST", level: "LOG", kind: KindBanner, attrs: map[string]string{"pid": "1", "docker_time": "2026-01-11T05:29:17.123Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "input.log", tt.line+"\n", Options{Format: "pgbouncer"})
			if res.Audit.Unparsed != 0 || !res.Audit.Balanced() || len(res.Events) != 1 {
				t.Fatalf("audit %+v, %d events", res.Audit, len(res.Events))
			}
			e := res.Events[0]
			if !e.Time.Equal(tt.time) || e.Naive != tt.naive || e.Zone != tt.zone {
				t.Errorf("time %v naive %v zone %q, want %v %v %q", e.Time, e.Naive, e.Zone, tt.time, tt.naive, tt.zone)
			}
			if e.Level != tt.level || e.Kind != tt.kind || e.User != tt.user || e.ExcMessage != tt.exc || e.Source != "pgbouncer" {
				t.Errorf("level %q kind %q user %q exc %q source %q", e.Level, e.Kind, e.User, e.ExcMessage, e.Source)
			}
			if !maps.Equal(e.Attrs, tt.attrs) {
				t.Errorf("attrs\n got %v\nwant %v", e.Attrs, tt.attrs)
			}
		})
	}
}

func TestPgbouncerZones(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		loc      *time.Location
		zone     string
		warn     string // substring of a message, "" for none
		naive    []bool
		wantUTCs []string
	}{
		{
			name: "mixed zones after a restart", zone: "WIB,UTC",
			text:     "2026-01-11 10:00:00.000 WIB [7] LOG got SIGTERM, fast exit\n2026-01-11 03:00:05.000 UTC [9] LOG process up: PgBouncer 1.21.0\n",
			naive:    []bool{false, false},
			wantUTCs: []string{"2026-01-11T03:00:00Z", "2026-01-11T03:00:05Z"},
		},
		{
			name: "ambiguous warns once", zone: "IST",
			text:     "2026-01-11 10:00:00.000 IST [7] LOG listening on 0.0.0.0:6432\n2026-01-11 10:00:01.000 IST [7] LOG process up: PgBouncer 1.21.0\n",
			warn:     "zone abbreviation IST is ambiguous (India +05:30, Israel +02:00, Ireland +01:00); times left naive — give --tz",
			naive:    []bool{true, true},
			wantUTCs: []string{"2026-01-11T10:00:00Z", "2026-01-11T10:00:01Z"},
		},
		{
			name: "ambiguous with --tz", zone: "IST", loc: time.FixedZone("India", 5*3600+1800),
			text:     "2026-01-11 10:00:00.000 IST [7] LOG listening on 0.0.0.0:6432\n",
			naive:    []bool{false},
			wantUTCs: []string{"2026-01-11T04:30:00Z"},
		},
		{
			name: "unknown abbreviation", zone: "XYZT",
			text:     "2026-01-11 10:00:00.000 XYZT [7] LOG listening on 0.0.0.0:6432\n",
			warn:     "zone abbreviation XYZT is not known",
			naive:    []bool{true},
			wantUTCs: []string{"2026-01-11T10:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "input.log", tt.text, Options{Format: "pgbouncer", Loc: tt.loc})
			if res.Audit.Zone != tt.zone {
				t.Errorf("audit zone %q (%s), want %q", res.Audit.Zone, res.Audit.ZoneReason, tt.zone)
			}
			warns := 0
			for _, m := range res.Audit.Messages {
				if strings.Contains(m, "zone abbreviation") {
					warns++
					if tt.warn == "" || !strings.Contains(m, tt.warn) {
						t.Errorf("unexpected message %q", m)
					}
				}
			}
			if tt.warn != "" && warns != 1 {
				t.Errorf("%d zone warnings, want 1: %q", warns, res.Audit.Messages)
			}
			if len(res.Events) != len(tt.wantUTCs) {
				t.Fatalf("%d events", len(res.Events))
			}
			for i, e := range res.Events {
				if got := e.Time.Format(time.RFC3339); got != tt.wantUTCs[i] || e.Naive != tt.naive[i] {
					t.Errorf("event %d: %s naive=%v, want %s naive=%v", i, got, e.Naive, tt.wantUTCs[i], tt.naive[i])
				}
			}
		})
	}
}

func TestPgbouncerUnparsed(t *testing.T) {
	text := "2026-01-11 10:00:00.000 UTC [7] LOG listening on 0.0.0.0:6432\n\nnot a pgbouncer line\n2026-01-10 23:34:14.460 UTC [1] LOG:  database system is ready\n"
	res := parseText(t, "input.log", text, Options{Format: "pgbouncer"})
	a := res.Audit
	if a.Lines != 4 || a.Records != 1 || a.Folded != 1 || a.Unparsed != 2 || !a.Balanced() {
		t.Fatalf("audit %+v", a)
	}
	if a.UnparsedExamples[0].Line != 3 || a.UnparsedExamples[1].Line != 4 {
		t.Errorf("examples %+v", a.UnparsedExamples)
	}
}

// pgbTruth is the part of a stack scenario's truth.json about pgbouncer.log.
type pgbTruth struct {
	Offsets struct {
		Pgbouncer string `json:"pgbouncer_process"`
	} `json:"utc_offsets_at_load_start"`
	Counts struct {
		Log struct {
			Lines         int64          `json:"lines"`
			Levels        map[string]int `json:"levels"`
			Zones         map[string]int `json:"timezone_abbreviations_in_log"`
			PoolerQWT     int            `json:"pooler_error_query_wait_timeout"`
			PoolerErrors  map[string]int `json:"pooler_errors"`
			LoginAttempts int            `json:"login_attempt_lines"`
			Closing       map[string]int `json:"closing_because"`
			Stats         int            `json:"stats_lines"`
			Other         map[string]int `json:"other_messages"`
			First         string         `json:"first_timestamp"`
			Last          string         `json:"last_timestamp"`
			ContainingQWT int            `json:"lines_containing_query_wait_timeout"`
		} `json:"pgbouncer_log"`
	} `json:"counts"`
}

func TestPgbouncerCorpus(t *testing.T) {
	files := pgbCorpus(t, "pgbouncer.log")
	for _, path := range files {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			var truth pgbTruth
			raw, err := os.ReadFile(filepath.Join(filepath.Dir(path), "truth.json"))
			if err != nil {
				t.Skipf("no truth.json: %v", err)
			}
			if err := json.Unmarshal(raw, &truth); err != nil {
				t.Fatal(err)
			}
			want := truth.Counts.Log
			res := ParseFile(path, path, Options{})
			a := res.Audit
			if a.Format != "pgbouncer" || a.Unparsed != 0 || !a.Balanced() || a.Lines != want.Lines {
				t.Fatalf("audit %+v", a)
			}
			levels := map[string]int{}
			closing := map[string]int{}
			pooler := map[string]int{}
			kinds := map[string]int{}
			qwt := 0
			for _, e := range res.Events {
				levels[e.Level]++
				kinds[e.Kind]++
				switch e.Kind {
				case KindClosing:
					closing[e.Attrs["side"]+" "+e.Attrs["reason"]]++
				case KindPoolerError:
					pooler[e.Attrs["error"]]++
				}
				if strings.Contains(e.Message, "query_wait_timeout") {
					qwt++
				}
				if e.Naive {
					t.Fatalf("line %d naive", e.Line)
				}
			}
			pgbCheckMap(t, "levels", levels, want.Levels)
			pgbCheckMap(t, "closing_because", closing, want.Closing)
			pgbCheckMap(t, "pooler_errors", pooler, want.PoolerErrors)
			if pooler["query_wait_timeout"] != want.PoolerQWT || kinds[KindLoginAttempt] != want.LoginAttempts ||
				kinds[KindStats] != want.Stats || qwt != want.ContainingQWT {
				t.Errorf("kinds %v, qwt lines %d; want qwt %d, login %d, stats %d, containing %d", kinds, qwt, want.PoolerQWT, want.LoginAttempts, want.Stats, want.ContainingQWT)
			}
			other := 0
			for _, n := range want.Other {
				other += n
			}
			if kinds[KindBanner] != other {
				t.Errorf("%d banners, want %d", kinds[KindBanner], other)
			}
			for abbr := range want.Zones {
				if !strings.Contains(a.Zone, abbr) {
					t.Errorf("audit zone %q lacks %s", a.Zone, abbr)
				}
			}
			// The first and last printed clocks, read back through the
			// process's real offset, give the event times.
			for _, c := range []struct {
				wall string
				got  time.Time
			}{{want.First, res.Events[0].Time}, {want.Last, res.Events[len(res.Events)-1].Time}} {
				tm, err := time.Parse("2006-01-02 15:04:05.000 -07:00", c.wall+" "+truth.Offsets.Pgbouncer)
				if err != nil {
					t.Fatal(err)
				}
				if !tm.Equal(c.got) {
					t.Errorf("time %v, want %v", c.got, tm.UTC())
				}
			}
			for _, e := range res.Events {
				if e.Kind == KindStats && (e.Attrs["xacts_per_s"] == "" || e.Attrs["wait_us"] == "" || e.Attrs["in_bytes_per_s"] == "") {
					t.Errorf("line %d: stats attrs %v", e.Line, e.Attrs)
				}
			}
		})
	}
}

func TestPgbouncerDetect(t *testing.T) {
	for _, path := range pgbCorpus(t, "pgbouncer.log") {
		checkDetectedByContent(t, path, "container.log", "pgbouncer")
	}
}

func FuzzPgbouncer(f *testing.F) {
	for _, b := range publicSeeds(f, "pgbouncer") {
		f.Add(b)
	}
	for _, s := range []string{
		"2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout",
		"2026-11-29 18:57:01.607 WIB [19202] LOG C-0x555ee7b7cd50: rabdb/rabapp@127.0.0.1:37638 closing because: client close request (age=0s)",
		"2026-11-29 18:57:01.074 WIB [19202] LOG S-0x555ee7b841d0: rabdb/rabapp@127.0.0.1:55432 new connection to server (from 127.0.0.1:54862)",
		"2026-11-29 18:57:10.637 WIB [19202] LOG stats: 21 xacts/s, 28 queries/s, in 4772 B/s, out 5994 B/s, xact 219145 us, query 167213 us, wait 3820653 us",
		"2026-01-11T03:59:17.123456789Z 2026-01-11 03:59:17.123 UTC [1] LOG C-0x1: login attempt: db=a user=b tls=no",
		"2012-05-01 10:00:00.000 4321 LOG Stats: 12 req/s, in 1234 b/s, out 5678 b/s, query 456 us",
		"2026-01-11T05:29:17Z 2026-01-11 10:59:17.123 IST [1] LOG closing because: (age=",
	} {
		f.Add([]byte(s + "\n" + s))
		f.Add([]byte(s + "\r" + s + "\r\n")) // a CR alone ends a line too
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "pgbouncer.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"pgbouncer", "auto"} {
			res := ParseFile(path, "pgbouncer.log", Options{Format: format})
			if res.Audit.Error != "" || !res.Audit.Balanced() {
				t.Fatalf("%s: %+v", format, res.Audit)
			}
		}
	})
}

func BenchmarkPgbouncer(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "corpus", "stack", "healthy", "pgbouncer.log")
	st, err := os.Stat(path)
	if err != nil {
		b.Skipf("corpus absent (%v)", err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		res := ParseFile(path, "pgbouncer.log", Options{Format: "pgbouncer"})
		if res.Audit.Unparsed != 0 {
			b.Fatal(res.Audit.UnparsedExamples)
		}
	}
}

// TestPgbouncerPublicVariants: PgBouncer 1.7's "Pooler Error:" (capitalised)
// and zoneless prefix, through a Heroku log drain, as travis-ci/travis-logs
// published it.
func TestPgbouncerPublicVariants(t *testing.T) {
	raw, err := os.ReadFile(publicPath("pgbouncer17_heroku.log"))
	if err != nil {
		t.Fatal(err)
	}
	res := parseText(t, "pgbouncer.log", string(raw), Options{})
	a := res.Audit
	if a.Format != "pgbouncer" || a.Unparsed != 0 || len(res.Events) != 5 {
		t.Fatalf("%s: %d events, audit %+v", a.Format, len(res.Events), a)
	}
	at := time.Date(2017, 5, 10, 20, 17, 33, 496000000, time.UTC)
	tests := []struct {
		kind, attr, val, exc string
	}{
		{KindClosing, "reason", "query_wait_timeout", ""},
		{KindPoolerError, "error", "query_wait_timeout", "query_wait_timeout"},
		{KindLog, "docker_time", "2017-05-10T20:17:33.496882Z", ""},
	}
	for i, tt := range tests {
		e := res.Events[i]
		if e.Kind != tt.kind || e.Attrs[tt.attr] != tt.val || e.ExcMessage != tt.exc || e.Naive {
			t.Errorf("event %d: kind %s attrs %v exc %q naive %v", i, e.Kind, e.Attrs, e.ExcMessage, e.Naive)
		}
		if i < 2 && (!e.Time.Equal(at) || e.User != "u456eks4prrd16" || e.Attrs["age_s"] != map[int]string{0: "120"}[i]) {
			t.Errorf("event %d: time %v user %q age %q", i, e.Time, e.User, e.Attrs["age_s"])
		}
	}
}
