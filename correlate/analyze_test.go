package correlate

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

func i64(v int64) *int64                    { return &v }
func f64(v float64) *float64                { return &v }
func at(s string) time.Time                 { t, _ := time.Parse(time.RFC3339Nano, s); return t }
func wall(t time.Time, off int64) time.Time { return t.Add(time.Duration(off) * time.Second) }

const synthRun = "hasil_test_x_20260111_114225"

// synthDataset is a run whose history starts 2026-01-11T03:42:27Z, with a
// Django process on UTC+8 (naive), PgBouncer printing WIB, the locustfile's
// log on UTC+8, a day-long runserver log, an orphan and a file of unknown
// clock. fails lists the seconds (from the start) that had a login 500.
func synthDataset(t *testing.T, loc int64) (*schema.Dataset, []int) {
	t.Helper()
	start := at("2026-01-11T03:42:27Z")
	rng := rand.New(rand.NewPCG(11, 12))
	var hist []parsers.HistoryRow
	var rs, dj, pg, la []parsers.Event
	var fails []int
	total, totalF := int64(0), int64(0)
	for s := 0; s < 300; s++ {
		now := start.Add(time.Duration(s) * time.Second)
		users := int64(min(100, 4*s))
		n := int64(rng.IntN(int(users/10)+1)) + 1
		if s%37 == 0 {
			n += 12 // bursts make the series distinctive
		}
		nf := int64(0)
		if s >= 120 && s < 140 && s%2 == 0 {
			nf = 1
			fails = append(fails, s)
		}
		total += n
		totalF += nf
		hist = append(hist, parsers.HistoryRow{Run: synthRun, Source: "csv", File: synthRun + "_stats_history.csv", Line: int64(s + 2),
			Time: now, Users: users, Name: "Aggregated", RPS: f64(float64(n)), FPS: f64(float64(nf)), TotalRequests: total, TotalFailures: totalF})
		for k := int64(0); k < n; k++ {
			st := int64(200)
			path := "/dashboard/"
			if k < nf {
				st, path = 500, "/accounts/login/"
				errAt := now.Add(300 * time.Millisecond)
				pg = append(pg, parsers.Event{Time: errAt.Add(-2 * time.Millisecond), Zone: "WIB", Source: "pgbouncer", Kind: parsers.KindPoolerError,
					Message: "C-0x55: db/u@127.0.0.1:4000 pooler error: query_wait_timeout"})
				dj = append(dj, parsers.Event{Time: wall(errAt, loc), Naive: true, Source: "django", Kind: parsers.KindServerError, Path: path,
					Logger: "django.request", Level: "ERROR", Message: "Internal Server Error: " + path,
					ExcType: "django.db.utils.OperationalError", ExcMessage: "query_wait_timeout", ExcFrame: "/app/views.py:10 in login",
					Traceback: "Traceback (most recent call last):\n  File \"/app/views.py\", line 10, in login\ndjango.db.utils.OperationalError: query_wait_timeout"})
				la = append(la, parsers.Event{Time: wall(errAt.Add(100*time.Millisecond), loc), Naive: true, Source: "locust_auth", Kind: parsers.KindLoginFailure,
					Status: i64(500), Message: "login_server_error username=u status=500", Attrs: map[string]string{"url": "http://h:8000/accounts/login/"}})
			}
			rs = append(rs, parsers.Event{Time: wall(now.Add(400*time.Millisecond), loc).Truncate(time.Second), Naive: true, Source: "runserver",
				Kind: parsers.KindRequest, Method: "GET", Path: path, Status: i64(st)})
		}
	}
	// The rest of the day: sparse traffic far from the run.
	for h := 0; h < 24; h++ {
		for _, m := range []int{0, 20, 40} {
			tm := time.Date(2026, 1, 11, h, m, 0, 0, time.UTC)
			if tm.Sub(wall(start, loc)).Abs() < 30*time.Minute {
				continue
			}
			rs = append(rs, parsers.Event{Time: tm, Naive: true, Source: "runserver", Kind: parsers.KindRequest, Method: "GET", Path: "/", Status: i64(200)})
		}
	}
	number := func(file string, ev []parsers.Event) []parsers.Event {
		for i := range ev {
			ev[i].File, ev[i].Line, ev[i].EndLine = file, int64(i+1), int64(i+1)
		}
		return ev
	}
	sortByTime := func(ev []parsers.Event) []parsers.Event {
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
		return ev
	}
	orphan := []parsers.Event{{Time: at("2026-01-09T10:00:00Z"), Zone: "UTC", Source: "pgbouncer", Kind: parsers.KindLog, Message: "process up"}}
	mystery := []parsers.Event{{Time: at("2026-01-11T01:00:00Z"), Naive: true, Source: "custom", Kind: parsers.KindLog, Message: "hello"}}
	res := []*parsers.Result{
		{Audit: parsers.Audit{Path: synthRun + "_stats_history.csv", Format: "locust_csv", Run: synthRun}, History: hist,
			Stats: []parsers.StatRow{{Run: synthRun, Source: "csv", Name: "Aggregated", Requests: total, Failures: totalF}}},
		{Audit: parsers.Audit{Path: "logs/runserver_8000.err.log", Format: "runserver"}, Events: number("logs/runserver_8000.err.log", sortByTime(rs))},
		{Audit: parsers.Audit{Path: "logs/django_errors.log", Format: "django"}, Events: number("logs/django_errors.log", dj)},
		{Audit: parsers.Audit{Path: "pgbouncer.log", Format: "pgbouncer"}, Events: number("pgbouncer.log", pg)},
		{Audit: parsers.Audit{Path: "logs/locust_login_failures.log", Format: "locust_auth"}, Events: number("logs/locust_login_failures.log", la)},
		{Audit: parsers.Audit{Path: "old/pgbouncer.log", Format: "pgbouncer"}, Events: number("old/pgbouncer.log", orphan)},
		{Audit: parsers.Audit{Path: "mystery.log", Format: "custom"}, Events: number("mystery.log", mystery)},
	}
	return DatasetOf(res), fails
}

func clockOf(a *Analysis, file string) Clock {
	for _, c := range a.Clocks {
		if c.File == file {
			return c
		}
	}
	return Clock{}
}

func TestAnalyzeSynthetic(t *testing.T) {
	ds, fails := synthDataset(t, 8*3600)
	defer ds.Release()
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(a.Runs))
	}
	r := a.Run(synthRun)
	if r == nil || a.Run("nope") != nil {
		t.Fatal("Run lookup broken")
	}
	if !r.Start.Equal(at("2026-01-11T03:42:27Z")) || !r.End.Equal(at("2026-01-11T03:47:26Z")) || r.WindowSource != "history" || r.UsersMax != 100 {
		t.Errorf("window %s..%s %s users %d", r.Start, r.End, r.WindowSource, r.UsersMax)
	}
	if r.Aggregated == nil || r.Aggregated.Name != "Aggregated" {
		t.Errorf("aggregated row not found")
	}

	wantClocks := []struct {
		file, method string
		off          int64
	}{
		{"logs/runserver_8000.err.log", "cross-correlation", 28800},
		{"logs/django_errors.log", "cross-correlation", 28800},
		{"logs/locust_login_failures.log", "cross-correlation", 28800},
		{"pgbouncer.log", "explicit", 25200},
		{"mystery.log", "unknown", 0},
	}
	for _, w := range wantClocks {
		c := clockOf(a, w.file)
		if c.Method != w.method || c.OffsetS != w.off {
			t.Errorf("%s: %s %d (%s), want %s %d", w.file, c.Method, c.OffsetS, c.Evidence, w.method, w.off)
		}
	}
	if c := clockOf(a, "mystery.log"); c.Zone != "unknown" || c.Confidence != 0 {
		t.Errorf("unknown clock: %+v", c)
	}
	var stamp *Clock
	for i := range r.Clock {
		if r.Clock[i].File == synthRun {
			stamp = &r.Clock[i]
		}
	}
	if stamp == nil || stamp.Method != "file-name-stamp" || stamp.OffsetS != 28800 || stamp.Zone != "UTC+08:00" {
		t.Errorf("stamp clock: %+v", stamp)
	}
	if !hasMsg(a, "mystery.log: 1 event(s) have no UTC time") {
		t.Errorf("unresolved events not reported: %q", a.Messages)
	}
	if len(a.Orphans) != 1 || a.Orphans[0] != "old/pgbouncer.log" {
		t.Errorf("orphans %v", a.Orphans)
	}
	// Slicing: the day-long log contributes only the window ± margin.
	lo, hi := r.Start.Add(-DefaultMargin), r.End.Add(DefaultMargin)
	for _, e := range r.Events.All() {
		if e.Time().Before(lo) || e.Time().After(hi) || !e.Resolved() {
			t.Fatalf("event outside window: %+v", e)
		}
	}
	if len(r.Logs) != 4 {
		t.Errorf("logs %v", r.Logs)
	}
	// Links.
	ls := r.LinkStats
	n := int64(len(fails))
	if ls.ServerErrors != n || ls.WithTraceback != n || ls.WithPooler != n || ls.WithLocust != n || ls.Unlinked != 0 || ls.LocustUnmatched != 0 {
		t.Errorf("link stats %+v, want %d of each", ls, n)
	}
	for _, ch := range r.Chains {
		if ch.Path != "/accounts/login/" || ch.ExcType != "django.db.utils.OperationalError" {
			t.Errorf("chain %+v", ch)
		}
		pooler, _ := ch.DeltaMS(ch.Pooler)
		server, _ := ch.DeltaMS(ch.ServerError)
		if d := pooler - server; d >= 0 {
			t.Errorf("pooler error should precede the server error, delta %d ms", d)
		}
	}
	// Timeline and incidents.
	if len(r.Timeline) != 300 || r.Timeline[0].Width != time.Second {
		t.Errorf("timeline: %d buckets", len(r.Timeline))
	}
	if len(r.Incidents) != 1 {
		t.Fatalf("incidents %+v", r.Incidents)
	}
	inc := r.Incidents[0]
	if !inc.Start.Equal(r.Start.Add(120*time.Second)) || inc.OnsetUsers != 100 {
		t.Errorf("incident %+v", inc)
	}
	if len(inc.FirstSources) == 0 || inc.FirstSources[0] != "pgbouncer" {
		t.Errorf("first sources %v, want pgbouncer first", inc.FirstSources)
	}
	var exc, pool *Cluster
	for i := range r.Clusters {
		c := &r.Clusters[i]
		if c.Kind == "exception" {
			exc = c
		}
		if strings.Contains(c.Template, "pooler error") {
			pool = c
		}
	}
	if exc == nil || exc.Count != n || exc.Frame != "/app/views.py:10 in login" || exc.PerPhase["steady"] != n {
		t.Errorf("exception cluster %+v", exc)
	}
	if pool == nil || pool.Count != n {
		t.Errorf("pooler cluster %+v", pool)
	}
}

func hasMsg(a *Analysis, sub string) bool {
	for _, m := range a.Messages {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func TestAnalyzeTZFlagAndSource(t *testing.T) {
	ds, fails := synthDataset(t, 8*3600)
	defer ds.Release()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	tests := []struct {
		name       string
		opt        Options
		method     string
		off        int64
		linked     int64
		djangoZone string
	}{
		{"tz flag right", Options{TZ: shanghai}, "tz-flag", 28800, int64(len(fails)), "Asia/Shanghai"},
		{"tz-source by format wins", Options{TZ: jakarta, TZSource: map[string]*time.Location{"django": shanghai, "runserver": shanghai, "locust_login_failures.log": shanghai}}, "tz-source", 28800, int64(len(fails)), "Asia/Shanghai"},
		{"tz flag wrong", Options{TZ: jakarta}, "tz-flag", 25200, 0, "Asia/Jakarta"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(ds, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			c := clockOf(a, "logs/django_errors.log")
			if c.Method != tc.method || c.OffsetS != tc.off || c.Zone != tc.djangoZone {
				t.Errorf("django clock %+v", c)
			}
			if got := a.Runs[0].LinkStats.WithTraceback; got != tc.linked {
				t.Errorf("%d linked, want %d", got, tc.linked)
			}
		})
	}
}

func TestZoneAppliedAtEventTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tab := newTable(DatasetOf([]*parsers.Result{{Audit: parsers.Audit{Path: "dst.log", Format: "django"}, Events: []parsers.Event{
		{Time: at("2026-01-15T12:00:00Z"), Naive: true, Source: "django", File: "dst.log", Line: 1},
		{Time: at("2026-07-15T12:00:00Z"), Naive: true, Source: "django", File: "dst.log", Line: 2},
	}}}))
	files := groupFiles(tab)
	clocks := resolveClocks(files, nil, Options{TZSource: map[string]*time.Location{"dst.log": ny}}.withDefaults(), new([]string))
	unresolved := placeEvents(tab, files, clocks, nil)
	if len(tab.order) != 2 || len(unresolved) != 0 {
		t.Fatalf("placed %d, unresolved %v", len(tab.order), unresolved)
	}
	ev0, ev1 := tab.Event(tab.order[0]), tab.Event(tab.order[1])
	if !ev0.Time().Equal(at("2026-01-15T17:00:00Z")) || !ev1.Time().Equal(at("2026-07-15T16:00:00Z")) {
		t.Errorf("DST not applied per event: %s, %s", ev0.Time(), ev1.Time())
	}
	if c := clocks[files[0].id]; c.Method != "tz-source" || c.OffsetS != -5*3600 {
		t.Errorf("clock %+v", c.Clock)
	}
}

func TestAnalyzeRunsGlob(t *testing.T) {
	ds, _ := synthDataset(t, 8*3600)
	defer ds.Release()
	if err := CheckRunPattern("[bad"); err == nil {
		t.Error("bad pattern accepted")
	}
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.Select("other_*")
	if len(a.Runs) != 0 || !hasMsg(a, `no run matches "other_*"`) {
		t.Errorf("runs %d, messages %q", len(a.Runs), a.Messages)
	}
	if len(a.Orphans) != 1 {
		t.Errorf("--run must not turn other runs' logs into orphans: %v", a.Orphans)
	}
	a, _ = Analyze(ds, Options{})
	a.Select("hasil_test_x_*")
	if len(a.Runs) != 1 {
		t.Errorf("glob selected %d runs", len(a.Runs))
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	var outs []string
	for range 3 {
		ds, _ := synthDataset(t, 7*3600)
		a, err := Analyze(ds, Options{})
		ds.Release()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Error("two analyses of the same input differ")
	}
}

func TestAnalyzeWithoutRequestLines(t *testing.T) {
	// Only django.request records: they anchor the chains.
	start := at("2026-01-11T03:00:00Z")
	var hist []parsers.HistoryRow
	for s := 0; s < 60; s++ {
		hist = append(hist, parsers.HistoryRow{Run: "r", Source: "html", Time: start.Add(time.Duration(s) * time.Second), Users: 10, Name: "Aggregated"})
	}
	ev := []parsers.Event{
		{Time: start.Add(10 * time.Second), Zone: "UTC", Source: "django", File: "django_errors.log", Line: 1, Kind: parsers.KindServerError, Path: "/x/", ExcType: "ValueError", ExcMessage: "bad 12", Traceback: "Traceback..."},
		{Time: start.Add(10*time.Second - 5*time.Millisecond), Zone: "UTC", Source: "pgbouncer", File: "pgbouncer.log", Line: 1, Kind: parsers.KindPoolerError},
	}
	meta := []parsers.MetaRow{{Run: "r", Key: "start_time", Value: "2026-01-11T02:59:59Z"}, {Run: "r", Key: "end_time", Value: "2026-01-11T03:01:30Z"}}
	ds := DatasetOf([]*parsers.Result{{History: hist, Meta: meta}, {Events: ev}})
	defer ds.Release()
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := a.Runs[0]
	if r.WindowSource != "history+html" || !r.Start.Equal(at("2026-01-11T02:59:59Z")) || !r.End.Equal(at("2026-01-11T03:01:30Z")) {
		t.Errorf("window %s %s..%s", r.WindowSource, r.Start, r.End)
	}
	if r.LinkStats.ServerErrors != 1 || r.LinkStats.WithPooler != 1 || r.LinkStats.WithTraceback != 1 {
		t.Errorf("link stats %+v", r.LinkStats)
	}
}

func TestNameStamp(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
		want string
	}{
		{"hasil_test_v18_100u_pgbouncer_redis_20260111_114225", true, "2026-01-11T11:42:25Z"},
		{"run_20260111_114225_retry", true, "2026-01-11T11:42:25Z"},
		{"hasil_test_v19_100u_nolimit", false, ""},
		{"x_20261311_114225", false, ""},
		{"x_202601111_114225", false, ""},
	}
	for _, tc := range tests {
		got, ok := nameStamp(tc.name)
		if ok != tc.ok || (ok && got.Format(time.RFC3339) != tc.want) {
			t.Errorf("nameStamp(%q) = %s %v", tc.name, got, ok)
		}
	}
}

func TestBucketWidth(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want time.Duration
	}{
		{90 * time.Second, time.Second},
		{10 * time.Minute, time.Second},
		{10*time.Minute + time.Second, 2 * time.Second},
		{9*time.Minute + 59*time.Second, time.Second},
		{30 * time.Minute, 5 * time.Second},
		{24 * time.Hour, 300 * time.Second},
	}
	for _, tc := range tests {
		if got := bucketWidth(tc.d); got != tc.want {
			t.Errorf("bucketWidth(%s) = %s, want %s", tc.d, got, tc.want)
		}
	}
}

func TestSliceBounds(t *testing.T) {
	mk := func(name, s, e string) *Run { return &Run{Name: name, Start: at(s), End: at(e)} }
	r1 := mk("a", "2026-01-11T10:00:00Z", "2026-01-11T10:01:00Z")
	r2 := mk("b", "2026-01-11T10:01:20Z", "2026-01-11T10:02:00Z") // 20 s after a
	r3 := mk("c", "2026-01-11T10:30:00Z", "2026-01-11T10:31:00Z") // far
	r4 := mk("d", "2026-01-11T10:30:30Z", "2026-01-11T10:32:00Z") // overlaps c
	b := sliceBounds([]*Run{r1, r2, r3, r4}, 2*time.Minute)
	tests := []struct {
		r      *Run
		lo, hi string
	}{
		{r1, "2026-01-11T09:58:00Z", "2026-01-11T10:01:10Z"},
		{r2, "2026-01-11T10:01:10Z", "2026-01-11T10:04:00Z"},
		{r3, "2026-01-11T10:28:00Z", "2026-01-11T10:33:00Z"},
		{r4, "2026-01-11T10:28:30Z", "2026-01-11T10:34:00Z"},
	}
	for _, tc := range tests {
		got := b[tc.r]
		if !got[0].Equal(at(tc.lo)) || !got[1].Equal(at(tc.hi)) {
			t.Errorf("%s: %s – %s, want %s – %s", tc.r.Name, got[0], got[1], tc.lo, tc.hi)
		}
	}
}

func TestBareTracebackLinksToNextRequestLine(t *testing.T) {
	// The user's middleware printed "Unhandled exception [ID]: msg" and the
	// traceback without a timestamp, then runserver wrote the request line.
	start := at("2026-01-11T03:00:00Z")
	var hist []parsers.HistoryRow
	for s := 0; s < 30; s++ {
		hist = append(hist, parsers.HistoryRow{Run: "r", Source: "csv", Time: start.Add(time.Duration(s) * time.Second), Users: 5, Name: "Aggregated"})
	}
	req := start.Add(10 * time.Second)
	ev := []parsers.Event{
		{Source: "runserver", File: "err.log", Line: 1, EndLine: 4, Kind: parsers.KindUnhandled, Message: "Unhandled exception [EBA505A1]: query_wait_timeout",
			ExcType: "django.db.utils.OperationalError", ExcMessage: "query_wait_timeout", Traceback: "Traceback..."},
		{Time: req, Zone: "UTC", Source: "runserver", File: "err.log", Line: 5, Kind: parsers.KindRequest, Method: "GET", Path: "/dashboard/", Status: i64(500)},
		{Time: req.Add(-3 * time.Second), Zone: "UTC", Source: "runserver", File: "err.log", Line: 6, Kind: parsers.KindRequest, Method: "GET", Path: "/", Status: i64(200)},
	}
	ds := DatasetOf([]*parsers.Result{{History: hist}, {Events: ev}})
	defer ds.Release()
	a, err := Analyze(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := a.Runs[0]
	if len(r.Chains) != 1 || r.Chains[0].Traceback == nil || r.Chains[0].Traceback.Line != 4 || r.Chains[0].ExcMessage != "query_wait_timeout" {
		t.Fatalf("chains %+v", r.Chains)
	}
	for _, e := range r.Events.All() {
		if e.Line() == 1 && (e.TimeFrom() != 5 || !e.Time().Equal(req)) {
			t.Errorf("bare record placed at %s from line %d", e.Time(), e.TimeFrom())
		}
	}
}

// A run's timeline, links, incidents and clusters are built at once when
// the runs leave cores idle (one run, two cores): they must be what one
// core builds, run by run.
func TestRunPartsOnEveryCoreAreOneCores(t *testing.T) {
	for _, sub := range []string{"stack/pool_exhaustion", "stack/slow_exports"} {
		dir := corpusDir(t, sub)
		old := runtime.GOMAXPROCS(1)
		one := analyzeDir(t, dir, Options{})
		runtime.GOMAXPROCS(max(old, 2))
		many := analyzeDir(t, dir, Options{})
		runtime.GOMAXPROCS(old)
		if len(one.Runs) == 0 || len(one.Runs) != len(many.Runs) {
			t.Fatalf("%s: %d runs on one core, %d on two", sub, len(one.Runs), len(many.Runs))
		}
		for i, r := range one.Runs {
			m := many.Runs[i]
			for _, p := range []struct {
				what      string
				one, many any
			}{{"timeline", r.Timeline, m.Timeline}, {"chains", r.Chains, m.Chains}, {"link stats", r.LinkStats, m.LinkStats},
				{"incidents", r.Incidents, m.Incidents}, {"clusters", r.Clusters, m.Clusters}} {
				if !reflect.DeepEqual(p.one, p.many) {
					t.Errorf("%s, run %s: %s differ between one core and two", sub, r.Name, p.what)
				}
			}
			if len(r.Timeline) == 0 || len(r.Clusters) == 0 {
				t.Errorf("%s, run %s: %d buckets, %d clusters: nothing compared", sub, r.Name, len(r.Timeline), len(r.Clusters))
			}
		}
	}
}
