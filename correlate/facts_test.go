package correlate

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// containsJoined answers strings.Contains(a+b, w) for every split of the
// texts, the word across the seam included.
func TestContainsJoinedIsContainsOfTheJoin(t *testing.T) {
	const w = "query_wait_timeout"
	texts := []string{"", "q", "query_", "_wait_timeout (age=3s)", "closing because: query_wait_timeout", "query_wait_timeou", "t", "xquery_wait"}
	for _, whole := range append(texts, "closing because: query_wait_timeout (age=0s)", "query_wait_timeout") {
		for i := 0; i <= len(whole); i++ {
			a, b := whole[:i], whole[i:]
			if got, want := containsJoined(a, b, w), strings.Contains(a+b, w); got != want {
				t.Errorf("containsJoined(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
	for _, a := range texts {
		for _, b := range texts {
			if got, want := containsJoined(a, b, w), strings.Contains(a+b, w); got != want {
				t.Errorf("containsJoined(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// refDeduper is the deduper as it was before it kept only the current
// millisecond: every key ever seen, per file.
type refDeduper struct {
	perFile map[dedupK]map[schema.FileID]int
	most    map[dedupK]int
}

func (d *refDeduper) dup(e Event) bool {
	k := dedupKey(e)
	m := d.perFile[k]
	if m == nil {
		m = map[schema.FileID]int{}
		d.perFile[k] = m
	}
	f := e.FileID()
	m[f]++
	if m[f] <= d.most[k] {
		return true
	}
	d.most[k] = m[f]
	return false
}

// On events in time order, keeping only the current millisecond's keys
// answers what keeping every key answers.
func TestDeduperKeepsOnlyTheCurrentMillisecond(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	base := time.Date(2026, 1, 11, 10, 0, 0, 0, time.UTC)
	for trial := range 50 {
		var rows []parsers.Event
		for range 400 {
			rows = append(rows, parsers.Event{
				Time:    base.Add(time.Duration(rng.IntN(40)) * 700 * time.Microsecond),
				File:    []string{"django_errors.log", "runserver.log", "other.log"}[rng.IntN(3)],
				Source:  "django",
				Kind:    []string{parsers.KindServerError, parsers.KindLog}[rng.IntN(2)],
				Message: []string{"Internal Server Error: /x/", "boom"}[rng.IntN(2)],
				ExcType: []string{"", "OperationalError"}[rng.IntN(2)],
			})
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Time.Before(rows[j].Time) })
		es := EventsOf(rows...)
		// The table numbers rows by file: put them back in time order.
		sort.SliceStable(es.rows, func(i, j int) bool { return es.t.less(es.rows[i], es.rows[j]) })
		got, want := newDeduper(), &refDeduper{perFile: map[dedupK]map[schema.FileID]int{}, most: map[dedupK]int{}}
		for i, e := range es.All() {
			if g, w := got.dup(e), want.dup(e); g != w {
				for j := max(0, i-6); j <= i; j++ {
					x := es.At(j)
					t.Logf("%d %v file %d kind %v msg %q exc %q", j, es.t.tim[x.row], x.FileID(), x.Kind(), x.Message(), x.ExcType())
				}
				t.Fatalf("trial %d, event %d: dup %v, want %v", trial, i, g, w)
			}
		}
	}
}

// A traceback's number names its text: equal numbers are equal texts and
// different numbers different ones, across files and batches, so a
// judgement kept per number (TracebackMemo) is the judgement of the text,
// and the pool facts read through the memo are those read text by text:
// through one memo and through passes that share one, as the runs' passes
// do.
func TestTracebackIDNamesTheText(t *testing.T) {
	for _, sc := range []string{"stack/pool_exhaustion", "stack/healthy", "stack/slow_exports"} {
		a := analyzeDir(t, corpusDir(t, sc), Options{})
		tab := a.Events
		byID, byText := map[int32]string{}, map[string]int32{}
		memo := newPoolMemo()
		passes := []*TracebackMemo[poolTraceback]{memo.Pass(), memo.Pass()}
		withTB := 0
		for r := range int32(tab.Len()) {
			e := tab.Event(r)
			id, tb := e.TracebackID(), e.Traceback()
			if (id < 0) != (tb == "") {
				t.Fatalf("%s row %d: id %d for traceback %q", sc, r, id, tb)
			}
			// Each pass meets the rows from another end, so one asks the
			// shared memo what the other told it.
			p := passes[r%2]
			if got, want := e.isPoolDriverError(p), e.IsPoolDriverError(); got != want {
				t.Fatalf("%s row %d: pool driver error %v through a pass, %v without", sc, r, got, want)
			}
			if id < 0 {
				continue
			}
			withTB++
			if s, ok := byID[id]; ok && s != tb {
				t.Fatalf("%s: id %d names two texts", sc, id)
			}
			if n, ok := byText[tb]; ok && n != id {
				t.Fatalf("%s: one text has ids %d and %d", sc, n, id)
			}
			byID[id], byText[tb] = tb, id
			want := judgePoolTraceback(tb)
			if got := memo.Of(e, judgePoolTraceback); got != want {
				t.Fatalf("%s row %d: memo %+v, text %+v", sc, r, got, want)
			}
			if got := p.Of(e, judgePoolTraceback); got != want {
				t.Fatalf("%s row %d: pass %+v, text %+v", sc, r, got, want)
			}
		}
		if sc == "stack/pool_exhaustion" && (withTB == 0 || len(byID) >= withTB) {
			t.Errorf("%s: %d records with a traceback, %d distinct: the test needs repeated tracebacks", sc, withTB, len(byID))
		}
		t.Logf("%s: %d records with a traceback, %d distinct", sc, withTB, len(byID))
	}
}

// Passes that share one memo, on every core, judge as one memo does: the
// runs' passes of an analysis (run with -race).
func TestTracebackMemoPassesConcurrently(t *testing.T) {
	a := analyzeDir(t, corpusDir(t, "stack/pool_exhaustion"), Options{})
	tab := a.Events
	shared := newPoolMemo()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := shared.Pass()
			for r := range int32(tab.Len()) {
				e := tab.Event((r*int32(w+1) + int32(w)) % int32(tab.Len()))
				if got, want := p.Of(e, judgePoolTraceback), judgePoolTraceback(e.Traceback()); got != want {
					errs[w] = fmt.Errorf("pass %d row %d: %+v, want %+v", w, e.Row(), got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// poolDriverText says what driverPoolRE says of the whole text, whichever
// line the driver's or the middleware's words are on: it only runs the
// expression on the lines that end in a phrase.
func TestPoolDriverTextIsTheExpressionsAnswer(t *testing.T) {
	frame := "  File \"/usr/lib/python3/dist-packages/django/db/backends/utils.py\", line 84, in _execute\n    return self.cursor.execute(sql, params)\n"
	cases := []struct {
		name, text string
		want       bool
	}{
		// FORMATS.md's lines, real psycopg 3, psycopg2 and Django words.
		{"psycopg 3", "psycopg.errors.ProtocolViolation: query_wait_timeout", true},
		{"psycopg2, two spaces", "psycopg2.OperationalError: FATAL:  query_wait_timeout", true},
		{"Django's wrapper", "django.db.utils.OperationalError: query_wait_timeout", true},
		{"the middleware's line", "Unhandled exception [EBA505A1]: query_wait_timeout", true},
		{"full pool", "psycopg2.OperationalError: FATAL:  no more connections allowed (max_client_conn)", true},
		{"at the end of a long traceback", "Traceback (most recent call last):\n" + strings.Repeat(frame, 2000) + "django.db.utils.OperationalError: query_wait_timeout\n", true},
		{"the middleware's id, phrase lines below", "Unhandled exception [EBA505A1]:\n\n \t query_wait_timeout", true},
		{"the phrase alone", "pooler error: query_wait_timeout", false},
		{"the driver's words a line above", "django.db.utils.OperationalError:\nquery_wait_timeout", false},
		{"a blank line does not join other words", "OperationalError\n\nquery_wait_timeout", false},
		{"the words after the phrase", "query_wait_timeout OperationalError", false},
		{"two phrases on one line, words before the second", "query_wait_timeout then InterfaceError: no more connections allowed", true},
		{"many phrases on one line, no words", strings.Repeat("query_wait_timeout ", 5000), false},
		{"no phrase", strings.Repeat(frame, 100), false},
		{"the id broken by a newline", "Unhandled exception [EBA\n505A1]: query_wait_timeout", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := poolDriverText(c.text); got != c.want {
				t.Errorf("poolDriverText = %v, want %v", got, c.want)
			}
			if re := driverPoolRE.MatchString(c.text); re != c.want {
				t.Errorf("the case is wrong: driverPoolRE says %v", re)
			}
		})
	}
}

func FuzzPoolDriverText(f *testing.F) {
	for _, s := range []string{
		"psycopg.errors.ProtocolViolation: query_wait_timeout",
		"Unhandled exception [EBA505A1]:\n \nquery_wait_timeout",
		"x\nDatabaseError y no more connections allowed\nquery_wait_timeout",
		"query_wait_timeout\tInterfaceError query_wait_timeout",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := poolDriverText(s), driverPoolRE.MatchString(s); got != want {
			t.Errorf("poolDriverText(%q) = %v, driverPoolRE says %v", s, got, want)
		}
	})
}
