package parsers

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDjango(t *testing.T) {
	type want struct {
		line, end     int64
		kind, path    string
		level, logger string
		msg           string
		excType       string
		excMsgPrefix  string
		frame         string
		hasTime       bool
	}
	tests := []struct {
		name     string
		text     string
		events   []want
		folded   int64
		unparsed int64
	}{
		{
			name: "server error with chained traceback and blank separators",
			text: "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/\n" + chainTB + "\n\n" +
				"2026-11-29 18:57:27,306 ERROR django.request Internal Server Error: /accounts/login/\n",
			events: []want{
				{1, 32, KindServerError, "/dashboard/", "ERROR", "django.request", "Internal Server Error: /dashboard/", "django.db.utils.OperationalError", "FATAL:  query_wait_timeout\nserver closed", "/tmp/app/rab/views.py:28 in _pg_sleep", true},
				{34, 34, KindServerError, "/accounts/login/", "ERROR", "django.request", "Internal Server Error: /accounts/login/", "", "", "", true},
			},
			folded: 32,
		},
		{
			name:   "csrf forbidden",
			text:   "2026-01-11 12:59:17,123 WARNING django.security.csrf Forbidden (CSRF token missing.): /api/project/160/save/\n",
			events: []want{{1, 1, KindForbidden, "/api/project/160/save/", "WARNING", "django.security.csrf", "Forbidden (CSRF token missing.): /api/project/160/save/", "", "", "", true}},
		},
		{
			name:   "multi-line message stays in the message",
			text:   "2026-01-11 12:59:17,123 ERROR app.views first line\nsecond line\n",
			events: []want{{1, 2, KindLog, "", "ERROR", "app.views", "first line\nsecond line", "", "", "", true}},
			folded: 1,
		},
		{
			name: "traceback without its record (file cut by rotation) has no time",
			text: "  File \"/srv/app/views.py\", line 3, in f\n    g()\nValueError: bad\n2026-01-11 12:59:17,123 ERROR django.request Internal Server Error: /x/\n",
			events: []want{
				{1, 3, KindTraceback, "", "", "", "", "ValueError", "bad", "/srv/app/views.py:3 in f", false},
				{4, 4, KindServerError, "/x/", "ERROR", "django.request", "Internal Server Error: /x/", "", "", "", true},
			},
			folded: 2,
		},
		{
			name:     "junk before any record is unparsed",
			text:     "hello there\n\n2026-01-11 12:59:17,123 ERROR django.request Internal Server Error: /x/\n",
			events:   []want{{3, 3, KindServerError, "/x/", "ERROR", "django.request", "Internal Server Error: /x/", "", "", "", true}},
			folded:   1,
			unparsed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "django_errors.log", tt.text, Options{Format: "django"})
			if len(res.Events) != len(tt.events) {
				t.Fatalf("%d events, want %d: %+v", len(res.Events), len(tt.events), res.Events)
			}
			for i, w := range tt.events {
				e := res.Events[i]
				if e.Line != w.line || e.EndLine != w.end || e.Kind != w.kind || e.Path != w.path || e.Level != w.level || e.Logger != w.logger || e.Message != w.msg {
					t.Errorf("event %d: got line %d-%d kind %q path %q level %q logger %q msg %q", i, e.Line, e.EndLine, e.Kind, e.Path, e.Level, e.Logger, e.Message)
				}
				if e.ExcType != w.excType || !strings.HasPrefix(e.ExcMessage, w.excMsgPrefix) || e.ExcFrame != w.frame {
					t.Errorf("event %d: exception %q %q %q, want %q %q… %q", i, e.ExcType, e.ExcMessage, e.ExcFrame, w.excType, w.excMsgPrefix, w.frame)
				}
				if e.Time.IsZero() == w.hasTime || (w.hasTime && !e.Naive) {
					t.Errorf("event %d: time %v naive %v, want time=%v naive", i, e.Time, e.Naive, w.hasTime)
				}
				if e.Source != "django" {
					t.Errorf("event %d: source %q", i, e.Source)
				}
			}
			if a := res.Audit; a.Folded != tt.folded || a.Unparsed != tt.unparsed {
				t.Errorf("folded %d unparsed %d, want %d %d", a.Folded, a.Unparsed, tt.folded, tt.unparsed)
			}
		})
	}
}

func TestDjangoTracebackKept(t *testing.T) {
	res := parseText(t, "django_errors.log", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/\n"+chainTB+"\n", Options{Format: "django"})
	if got := res.Events[0].Traceback; got != chainTB {
		t.Errorf("traceback text not kept whole:\n%s", got)
	}
}

// TestDjangoTZ: with --tz the naive asctime becomes real UTC.
func TestDjangoTZ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "django_errors.log")
	if err := os.WriteFile(path, []byte("2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := ParseFile(path, "django_errors.log", Options{Format: "django", Loc: time.FixedZone("WIB", 7*3600)})
	e := res.Events[0]
	if want := time.Date(2026, 11, 29, 11, 57, 27, 305e6, time.UTC); !e.Time.Equal(want) || e.Naive || e.Zone != "WIB" {
		t.Errorf("got %v naive=%v zone=%q, want %v", e.Time, e.Naive, e.Zone, want)
	}
}

// TestDjangoCorpus checks the parse of the real django_errors.log against
// the scenario's answer key.
func TestDjangoCorpus(t *testing.T) {
	for _, f := range pyCorpus(t, "django_errors.log") {
		truth := pyTruth(t, f)
		res := pyCorpusParse(t, f, truth, "django", "django_errors_log")
		if got, want := int64(len(res.Events)), pyCount(t, truth, "counts", "django_errors_log", "records"); got != want {
			t.Errorf("%s: %d records, truth %d", f, got, want)
		}
		var tbs int64
		byMsg := map[string]int64{}
		finals := map[string]int64{}
		for _, e := range res.Events {
			tbs += int64(strings.Count(e.Traceback, "Traceback (most recent call last):"))
			byMsg[fmt.Sprintf("%s %s %s", e.Level, e.Logger, pyTemplate(e.Message))]++
			first, _, _ := strings.Cut(e.ExcMessage, "\n")
			finals[e.ExcType+": "+first]++
			if e.Kind != KindServerError || e.Path == "" || e.ExcFrame == "" {
				t.Errorf("%s:%d: kind %q path %q frame %q", f, e.Line, e.Kind, e.Path, e.ExcFrame)
			}
		}
		if want := pyCount(t, truth, "counts", "django_errors_log", "tracebacks"); tbs != want {
			t.Errorf("%s: %d tracebacks folded, truth %d", f, tbs, want)
		}
		for k, v := range truth["counts"].(map[string]any)["django_errors_log"].(map[string]any)["records_by_level_logger_message"].(map[string]any) {
			if byMsg[k] != int64(v.(float64)) {
				t.Errorf("%s: %q: %d records, truth %v", f, k, byMsg[k], v)
			}
		}
		for k, v := range truth["counts"].(map[string]any)["django_errors_log"].(map[string]any)["exception_final_lines"].(map[string]any) {
			if finals[k] != int64(v.(float64)) {
				t.Errorf("%s: final exception %q: %d, truth %v (got %v)", f, k, finals[k], v, finals)
			}
		}
	}
}

func FuzzDjango(f *testing.F) {
	f.Add([]byte("2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/\n" + chainTB + "\n\n"))
	f.Add([]byte("2026-01-11 12:59:17,123 WARNING django.security.csrf Forbidden (CSRF token missing.): /api/x/\r\n"))
	f.Add([]byte("Traceback (most recent call last):\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"x\nE:"))
	f.Add([]byte("  File \"/a.py\", line 9"))
	f.Add([]byte("2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /x/\rTraceback (most recent call last):\r  File \"/a.py\", line 9, in f\rValueError: v\r\r"))
	for _, b := range publicSeeds(f, "django") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pyFuzz(t, data, "django")
	})
}

func BenchmarkDjango(b *testing.B) {
	pyBench(b, "pool_exhaustion/logs/django_errors.log", "django")
}

// TestDjangoPublicVariants reads Django logs other projects published: the
// level-first "verbose" formatter and the default console handler's
// untimed "Internal Server Error: /" before its traceback.
func TestDjangoPublicVariants(t *testing.T) {
	read := func(t *testing.T, name string) string {
		b, err := os.ReadFile(publicPath(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	type want struct {
		line, end            int64
		kind, level, logger  string
		path, status, msg    string
		process, thread      string
		hasTime, tracebacked bool
	}
	tests := []struct {
		name string
		text func(t *testing.T) string
		want []want
	}{
		{
			name: "verbose formatter (django/django#787)",
			text: func(t *testing.T) string { return read(t, "django_verbose.log") },
			want: []want{{1, 1, KindLog, "WARNING", "forms", "", "", "User 'support3' attempted to register with company 'KL Insight 2' but it already exists", "22360", "-1250423952", true, false}},
		},
		{
			name: "default console line keeps its traceback and path (sclorg/django-ex#71)",
			text: func(t *testing.T) string { return read(t, "django_console_ise.log") },
			want: []want{{1, 10, KindServerError, "ERROR", "django.request", "/", "500", "Internal Server Error: /", "", "", false, true}},
		},
		{
			// The failure: verbose records after a traceback were
			// folded into it. Composed from the two excerpts above: a
			// verbose django.request record (module "log", as Django's
			// formatter prints it) with the sclorg traceback, then the
			// django/django#787 line.
			name: "verbose records after a traceback are records, not folded",
			text: func(t *testing.T) string {
				tb := strings.SplitN(read(t, "django_console_ise.log"), "\n", 2)[1]
				return "ERROR 2013-02-23 12:46:01,605 log 22360 -1250423952 Internal Server Error: /\n" + tb + read(t, "django_verbose.log")
			},
			want: []want{
				{1, 10, KindServerError, "ERROR", "log", "/", "500", "Internal Server Error: /", "22360", "-1250423952", true, true},
				{11, 11, KindLog, "WARNING", "forms", "", "", "User 'support3' attempted to register with company 'KL Insight 2' but it already exists", "22360", "-1250423952", true, false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "django_errors.log", tt.text(t), Options{Format: "django"})
			if a := res.Audit; a.Unparsed != 0 || a.RecordLikeFolded != 0 {
				t.Errorf("unparsed %d record-like folded %d: %v %v", a.Unparsed, a.RecordLikeFolded, a.UnparsedExamples, a.RecordLikeExamples)
			}
			if len(res.Events) != len(tt.want) {
				t.Fatalf("%d events, want %d: %+v", len(res.Events), len(tt.want), res.Events)
			}
			for i, w := range tt.want {
				e := res.Events[i]
				st := ""
				if e.Status != nil {
					st = fmt.Sprint(*e.Status)
				}
				got := want{e.Line, e.EndLine, e.Kind, e.Level, e.Logger, e.Path, st, e.Message, e.Attrs["process"], e.Attrs["thread"], !e.Time.IsZero(), e.Traceback != ""}
				if got != w {
					t.Errorf("event %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
		})
	}
}
