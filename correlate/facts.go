package correlate

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// A run's Events span its window plus the slicing margin, so the logs of
// back-to-back runs overlap. What the rules judge a run by is its own
// stretch of time, computed here once per run (Own), with the facts every
// server check reads (the sources present, PgBouncer's story).
const (
	ownLead = 5 * time.Second   // clock lag left after correlation
	ownTail = 130 * time.Second // requests still queued at the stop (PgBouncer's 120 s timeout + slack)
)

// Own is a run's own stretch of the logs and what it holds.
type Own struct {
	// Done is set once the facts are computed (ComputeOwn).
	Done bool
	// From and To bound the stretch: [Start - 5 s, End + 130 s), cut at
	// the start of the next run and the end of the previous one.
	// Windowed is false when the run's window is unknown: then every
	// event counts.
	From, To time.Time
	Windowed bool
	// Events are the run's events inside [From, To), in time order (a
	// slice of Run.Events, not a copy).
	Events Events
	// Chains are the run's chains whose anchor lies inside it.
	Chains []*Chain
	// Sources are the formats that have an event inside it.
	Sources map[schema.SourceKind]bool
	// Pool is what the pooler and the app say of PgBouncer's pool.
	Pool PoolFacts

	// what the facts were computed from: the run's events and its
	// neighbours (OwnIn recomputes for others).
	events Events
	runs   []*Run
}

// PoolFacts is PgBouncer's story in a run's own stretch, classified once:
// the pooler's errors and closings for query_wait_timeout, the app's
// records of the same failure through the database driver, and what the
// pooler says of itself.
type PoolFacts struct {
	Pooler  []Event // pooler errors naming query_wait_timeout or no free slot
	Closing []Event // "closing because: query_wait_timeout"
	Driver  []Event // app-side records naming the timeout (the driver's error)
	// DriverByFile counts Driver records (with merged duplicates) per file.
	DriverByFile map[string]int64
	Ages         []int64 // the closings' client ages, seconds
	// MaxWaitUS is the highest "wait N us" of the stats lines, MaxWait the
	// line.
	MaxWaitUS float64
	MaxWait   *Event
	// First is the earliest placed time among Pooler, Closing and Driver.
	First time.Time
	// Settings are those PgBouncer printed itself ("max_client_conn 500"),
	// SettingsAt the line; Version is its "process up: PgBouncer X.Y.Z".
	Settings   []string
	SettingsAt *Event
	Version    string
	VersionAt  *Event
}

// Found reports whether any line tells of the pool's exhaustion.
func (p *PoolFacts) Found() bool { return len(p.Pooler)+len(p.Closing)+len(p.Driver) > 0 }

var (
	// pgbouncerVersionRE reads the version from PgBouncer's start-up line.
	pgbouncerVersionRE = regexp.MustCompile(`PgBouncer (\d+\.\d+(?:\.\d+)?)`)
	// driverPoolRE: the pool timeout seen by the app, as psycopg 3
	// (ProtocolViolation), psycopg2 ("FATAL:  query_wait_timeout", two
	// spaces), Django's wrapper, or the user's middleware line.
	driverPoolRE = regexp.MustCompile(`(?:ProtocolViolation|OperationalError|InterfaceError|DatabaseError)\b[^\n]*?(?:query_wait_timeout|no more connections allowed)|Unhandled exception \[[^\]\n]*\]:\s*query_wait_timeout`)
)

// IsPoolDriverError reports whether an app-side event is PgBouncer's pool
// timeout seen through the database driver. It reads the message,
// exception and traceback columns; only a record that names the timeout
// is matched against the driver's words.
func (e Event) IsPoolDriverError() bool { return e.isPoolDriverError(newPoolMemo()) }

// poolTraceback is what IsPoolDriverError reads in a traceback, judged
// once per distinct traceback (newPoolMemo): tracebacks are the longest
// texts a record has, and a failing view prints the same one thousands of
// times, in every run.
type poolTraceback struct {
	named bool // it names the timeout or the full pool
	match bool // and driverPoolRE matches it
}

func judgePoolTraceback(tb string) poolTraceback {
	return poolTraceback{
		named: strings.Contains(tb, "query_wait_timeout") || strings.Contains(tb, "no more connections"),
		match: poolDriverText(tb),
	}
}

// newPoolMemo is the memo of judgePoolTraceback that every run's pass of
// an analysis shares (each through its Pass).
func newPoolMemo() *TracebackMemo[poolTraceback] { return &TracebackMemo[poolTraceback]{} }

// poolPhrases are the two phrases every match of driverPoolRE ends with.
var poolPhrases = [...]string{"query_wait_timeout", "no more connections allowed"}

// poolDriverText reports whether driverPoolRE matches s, running it only
// on the lines that end in one of poolPhrases. A match ends with a phrase,
// and starts on the phrase's line (the driver's words: [^\n] between), or on
// the last line before the phrase that is not blank (the middleware's
// words: \s* between). So the text from that line's start to the phrase's
// end holds every match that ends there, and nothing else can match in it.
// Run over a whole traceback, Go's regexp (no literal prefix to skip to)
// cost 60 ns a byte: a 100 MB traceback took 6 s in correlation. Windows
// that start on the same line are run once, to the last one's end, and
// each byte is looked at a bounded number of times, so a long line of
// phrases costs its length, not its length per phrase.
func poolDriverText(s string) bool {
	for _, phrase := range poolPhrases {
		start, end := -1, -1 // the window pending a run
		// prevEnd is where the phrase found last ends, prevLine the start
		// of its line: no walk below goes back past it, since a phrase
		// ends in a letter.
		prevEnd, prevLine := 0, 0
		for {
			i := strings.Index(s[prevEnd:], phrase)
			if i < 0 {
				break
			}
			at := prevEnd + i
			lineOf := func(p int) int { // the start of p's line, p >= prevEnd
				if k := strings.LastIndexByte(s[prevEnd:p], '\n'); k >= 0 {
					return prevEnd + k + 1
				}
				return prevLine
			}
			w := at // back over what \s matches: [\t\n\f\r ]
			for w > prevEnd && strings.IndexByte(" \t\n\f\r", s[w-1]) >= 0 {
				w--
			}
			from := lineOf(w)
			if from != start && start >= 0 && driverPoolRE.MatchString(s[start:end]) {
				return true
			}
			start, end = from, at+len(phrase)
			prevEnd, prevLine = end, lineOf(at)
		}
		if start >= 0 && driverPoolRE.MatchString(s[start:end]) {
			return true
		}
	}
	return false
}

func (e Event) isPoolDriverError(memo *TracebackMemo[poolTraceback]) bool {
	if e.Source() == schema.SourcePgBouncer {
		return false
	}
	msg, exc := e.Message(), e.ExcMessage()
	tb := memo.Of(e, judgePoolTraceback)
	if !strings.Contains(msg, "query_wait_timeout") && !strings.Contains(exc, "query_wait_timeout") && !tb.named {
		return false
	}
	return poolDriverText(msg) || poolDriverText(e.ExcType()+": "+exc) || tb.match
}

// OwnIn is r's own stretch among runs: the facts Analyze computed, or,
// for a run built by hand or changed since, computed now.
func OwnIn(r *Run, runs []*Run) *Own {
	o := &r.Own
	if !o.Done || !sameEvents(o.events, r.Events) || !sameRuns(o.runs, runs) {
		ComputeOwn(r, runs)
	}
	return o
}

func sameEvents(a, b Events) bool {
	return a.t == b.t && len(a.rows) == len(b.rows) && (len(a.rows) == 0 || &a.rows[0] == &b.rows[0])
}

func sameRuns(a, b []*Run) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// ComputeOwn sets r.Own from r's events and chains; runs are the analysis'
// runs (the neighbours that cut r's stretch). Analyze calls it for every
// run it returns.
func ComputeOwn(r *Run, runs []*Run) { computeOwn(r, runs, newRunIndex(runs), newPoolMemo()) }

// computeOwn is ComputeOwn with the runs' start index and the pool texts'
// judgements, made once for all of them.
func computeOwn(r *Run, runs []*Run, idx *runIndex, memo *TracebackMemo[poolTraceback]) {
	o := &r.Own
	*o = Own{Done: true, Sources: map[schema.SourceKind]bool{}, events: r.Events, runs: runs}
	o.From, o.To, o.Windowed = idx.ownWindow(r)
	o.Events = r.Events.within(o.From, o.To, o.Windowed)
	for i := range r.Chains {
		c := &r.Chains[i]
		if o.Windowed && !c.Anchor.Time.IsZero() && !within(c.Anchor.Time, o.From, o.To) {
			continue
		}
		o.Chains = append(o.Chains, c)
	}
	o.Pool.DriverByFile = map[string]int64{}
	var seen [256]bool // sources met, set into o.Sources once
	memo = memo.Pass()
	for _, e := range o.Events.All() {
		seen[e.Source()] = true
		o.Pool.add(e, memo)
	}
	for src, ok := range seen {
		if ok {
			o.Sources[schema.SourceKind(src)] = true
		}
	}
	p := &o.Pool
	for _, es := range [][]Event{p.Pooler, p.Closing, p.Driver} {
		for _, e := range es {
			if e.Resolved() && (p.First.IsZero() || e.Time().Before(p.First)) {
				p.First = e.Time()
			}
		}
	}
}

func (p *PoolFacts) add(e Event, memo *TracebackMemo[poolTraceback]) {
	if e.Source() == schema.SourcePgBouncer {
		switch e.Kind() {
		case schema.KindPoolerError:
			if m := e.Message() + "\n" + e.ExcMessage(); strings.Contains(m, "query_wait_timeout") || strings.Contains(m, "no more connections allowed") {
				p.Pooler = append(p.Pooler, e)
			}
		case schema.KindClosing:
			if containsJoined(e.Attr("reason"), e.Message(), "query_wait_timeout") {
				p.Closing = append(p.Closing, e)
				if a, err := strconv.ParseInt(e.Attr("age_s"), 10, 64); err == nil {
					p.Ages = append(p.Ages, a)
				}
			}
		case schema.KindBanner, schema.KindLog:
			msg := e.Message()
			if p.VersionAt == nil && strings.Contains(msg, "process up") {
				if m := pgbouncerVersionRE.FindStringSubmatch(msg); m != nil {
					p.Version, p.VersionAt = m[1], e.ptr()
				}
			}
			if i := strings.Index(msg, "max_client_conn: "); i >= 0 && p.SettingsAt == nil {
				v := msg[i+len("max_client_conn: "):]
				if j := strings.IndexAny(v, ", "); j >= 0 {
					v = v[:j]
				}
				p.Settings = append(p.Settings, "max_client_conn "+v)
				p.SettingsAt = e.ptr()
			}
		case schema.KindStats:
			if w, err := strconv.ParseFloat(e.Attr("wait_us"), 64); err == nil && w > p.MaxWaitUS {
				p.MaxWaitUS, p.MaxWait = w, e.ptr()
			}
		}
		return
	}
	// Bare tracebacks and "Internal Server Error" records both carry the
	// exception; count records, whichever kind holds it.
	if e.isPoolDriverError(memo) {
		p.Driver = append(p.Driver, e)
		p.DriverByFile[e.File()] += 1 + e.Duplicates()
	}
}

// containsJoined is strings.Contains(a+b, w) without making a+b.
func containsJoined(a, b, w string) bool {
	if strings.Contains(a, w) || strings.Contains(b, w) {
		return true
	}
	if len(w) < 2 || a == "" || b == "" {
		return false
	}
	// Across the seam: w's first i bytes end a, the rest begin b.
	for i := 1; i < len(w); i++ {
		if strings.HasSuffix(a, w[:i]) && strings.HasPrefix(b, w[i:]) {
			return true
		}
	}
	return false
}

// runIndex orders runs by start so that each run's own window finds its
// neighbours by binary search: Analyze computes every run's window, and a
// scan of all runs per run is quadratic (2,815 runs in the 1 GB folder).
type runIndex struct {
	byStart []*Run      // the runs with a known window, by start
	lastEnd []time.Time // lastEnd[i]: the latest end among byStart[:i+1]
}

func newRunIndex(runs []*Run) *runIndex {
	idx := &runIndex{}
	for _, r := range runs {
		if r.Start.IsZero() || r.End.IsZero() {
			continue
		}
		idx.byStart = append(idx.byStart, r)
	}
	sort.SliceStable(idx.byStart, func(i, j int) bool { return idx.byStart[i].Start.Before(idx.byStart[j].Start) })
	idx.lastEnd = make([]time.Time, len(idx.byStart))
	for i, r := range idx.byStart {
		idx.lastEnd[i] = r.End
		if i > 0 && idx.lastEnd[i-1].After(r.End) {
			idx.lastEnd[i] = idx.lastEnd[i-1]
		}
	}
	return idx
}

// ownWindow is [start - ownLead, end + ownTail], cut at the start of the
// next run (the smallest start at or after run's) and the end of the
// previous one (the largest end inside the lead); ok is false when the
// run's window is unknown. Only the runs near run's start are read.
func (idx *runIndex) ownWindow(run *Run) (from, to time.Time, ok bool) {
	if run.Start.IsZero() || run.End.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	from, to = run.Start.Add(-ownLead), run.End.Add(ownTail)
	rs := idx.byStart
	first := sort.Search(len(rs), func(i int) bool { return !rs[i].Start.Before(run.Start) })
	for _, o := range rs[first:] {
		if !o.Start.Before(to) {
			break
		}
		if o != run && sameTree(o, run) {
			to = o.Start // the first in start order is the smallest
			break
		}
	}
	// Look back while some earlier run still ends after the lead: once
	// none of rs[:i+1] does, none of them can cut it.
	lead := from
	for i := first - 1; i >= 0 && idx.lastEnd[i].After(lead); i-- {
		o := rs[i]
		if o != run && sameTree(o, run) && o.End.Before(run.Start) && o.End.After(from) {
			from = o.End
		}
	}
	return from, to, true
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// within is the events with from <= time < to (all of them when !windowed;
// unplaced events never are): a binary search when the events are in
// time order, as a run's are; a scan otherwise (a list built by hand).
func (es Events) within(from, to time.Time, windowed bool) Events {
	if !windowed || es.t == nil {
		return es
	}
	t := es.t
	lo, hi := ceilMicro(from), ceilMicro(to) // [lo, hi) in whole µs
	sorted := true
	for i, r := range es.rows {
		if !t.placed[r] || i > 0 && t.tim[r] < t.tim[es.rows[i-1]] {
			sorted = false
			break
		}
	}
	if sorted {
		i := sort.Search(len(es.rows), func(i int) bool { return t.tim[es.rows[i]] >= lo })
		j := sort.Search(len(es.rows), func(i int) bool { return t.tim[es.rows[i]] >= hi })
		return es.Slice(i, max(i, j))
	}
	var rows []int32
	for _, r := range es.rows {
		if t.placed[r] && t.tim[r] >= lo && t.tim[r] < hi {
			rows = append(rows, r)
		}
	}
	return Events{t: t, rows: rows}
}
