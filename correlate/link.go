package correlate

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// candidate is an event that may join a chain, with its preference rank
// (lower wins: the dedicated log file before a copy of the same record in
// runserver's stderr).
type candidate struct {
	e    Event
	us   int64 // e's UTC time in µs
	rank int
	used bool
	ord  int // its place in its pool (pickIndex)
	// twins are copies of the same record in other files (one logger,
	// two handlers): using one uses them all.
	twins []*candidate
}

type pool []*candidate

// pairTwins links each candidate to its copies in other files: same
// millisecond, kind, message and exception, one copy per file. A pool is
// in time order, so copies lie within one run of candidates of the same
// millisecond: only runs of two or more are looked into.
func (p pool) pairTwins() {
	for lo := 0; lo < len(p); {
		ms := floorDiv(p[lo].us, 1000)
		hi := lo + 1
		for hi < len(p) && floorDiv(p[hi].us, 1000) == ms {
			hi++
		}
		if hi-lo >= 2 {
			p[lo:hi].pairKeys()
		}
		lo = hi
	}
}

// pairKeys pairs the copies among p by key.
func (p pool) pairKeys() {
	byKey := map[dedupK][]*candidate{}
	var keys []dedupK
	for _, c := range p {
		k := dedupKey(c.e)
		if byKey[k] == nil {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], c)
	}
	for _, k := range keys {
		group := byKey[k]
		if len(group) < 2 {
			continue
		}
		// The n-th record of the key in one file pairs with the n-th in
		// each other file.
		nth := map[schema.FileID]int{}
		rows := map[int][]*candidate{}
		for _, c := range group {
			i := nth[c.e.FileID()]
			nth[c.e.FileID()]++
			rows[i] = append(rows[i], c)
		}
		for _, row := range rows {
			for _, c := range row {
				for _, o := range row {
					if o != c {
						c.twins = append(c.twins, o)
					}
				}
			}
		}
	}
}

// reqPath reduces a request path or URL to its path without query.
func reqPath(p string) string {
	if i := strings.Index(p, "://"); i >= 0 {
		rest := p[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			p = rest[j:]
		} else {
			p = "/"
		}
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return p
}

func refOf(e Event) *Ref {
	at := e.Ref()
	at.End = at.Line
	return &Ref{File: e.File(), Line: e.Line(), Time: e.Time(), Text: eventText(e), At: &at}
}

func eventText(e Event) string {
	t := e.Text()
	if t == "" {
		t = e.Message()
	}
	if t == "" && e.ExcType() != "" {
		t = e.ExcType() + ": " + e.ExcMessage()
	}
	return RefText(t)
}

// RefText is a line as a Ref quotes it: at most 300 bytes, then "…".
func RefText(t string) string {
	if len(t) > 300 {
		t = t[:300] + "…"
	}
	return t
}

// Quote sets the ref's text from its line as read back from the file (At):
// the line itself, cut as a Ref's text is. An empty line keeps the text
// it had.
func (r *Ref) Quote(line string) {
	if line != "" {
		r.Text = RefText(line)
	}
}

// link builds one chain per server error: the runserver 5xx request line
// (or, without request lines, the django.request record) and the records
// of the same failure in the other logs, each used at most once, nearest in
// time first.
func link(r *Run, tol time.Duration) ([]Chain, LinkStats) {
	var st LinkStats
	var anchors []Event
	var serverErr, bare, auth, locust, pooler pool
	hasRequests := false
	locustSrc, haveLocustSrc := schema.SourceUnknown, false
	t := r.Events.Table()
	for _, e := range r.Events.All() {
		cand := func(rank int) *candidate { return &candidate{e: e, us: t.tim[e.row], rank: rank} }
		switch e.Kind() {
		case schema.KindRequest:
			hasRequests = true
			if e.StatusOr0() >= 500 {
				anchors = append(anchors, e)
			}
		case schema.KindServerError:
			rank := 1
			if e.Source() == schema.SourceDjango {
				rank = 0
			}
			serverErr = append(serverErr, cand(rank))
		case schema.KindTraceback, schema.KindUnhandled:
			bare = append(bare, cand(0))
		case schema.KindAuthResponse, schema.KindAuthFailure:
			rank := 0
			if e.Kind() == schema.KindAuthFailure {
				rank = 2
			}
			if e.Source() != schema.SourceAuthDebug {
				rank++
			}
			auth = append(auth, cand(rank))
		case schema.KindLoginFailure:
			rank := 1
			if e.Source() == schema.SourceLocustAuth {
				rank, locustSrc, haveLocustSrc = 0, schema.SourceLocustAuth, true
			}
			locust = append(locust, cand(rank))
		case schema.KindPoolerError:
			pooler = append(pooler, cand(0))
		}
	}
	for _, p := range []pool{serverErr, bare, auth, locust} {
		p.pairTwins()
	}
	if !haveLocustSrc && len(locust) > 0 {
		locustSrc = locust[0].e.Source()
	}
	st.PoolerErrorTotal = int64(len(pooler))
	st.TracebacksTotal = countTracebacks(serverErr, bare)

	// Without request lines the django.request records are the anchors
	// (one file's copy only: the preferred rank).
	fromServerErr := false
	if !hasRequests {
		bestRank := 2
		for _, c := range serverErr {
			bestRank = min(bestRank, c.rank)
		}
		for _, c := range serverErr {
			if c.rank == bestRank {
				anchors = append(anchors, c.e)
			}
		}
		fromServerErr = true
	}

	// Each pool's index buckets its candidates by what the pick's filter
	// reads, so that a pick reads only the buckets it could accept from.
	serverIx := newPickIndex(serverErr, func(c *candidate) string { return reqPath(c.e.Path()) })
	bareIx := newPickIndex(bare, func(c *candidate) string { return fileKey(c.e) })
	authIx, locustIx := newPickIndex(auth, authKey), newPickIndex(locust, locustKey)
	poolerIx := newPickIndex(pooler, func(*candidate) string { return "" })

	chains := make([]Chain, 0, len(anchors)) // one per anchor: a Chain is large to grow through
	for _, a := range anchors {
		at := a.Time()
		ch := Chain{Anchor: *refOf(a), Method: a.Method(), Path: reqPath(a.Path()), Status: a.StatusOr0()}
		// A request line has second resolution and is written when the
		// response is done: the events lie within that second ± tol.
		lo, hi := at.Add(-tol), at.Add(time.Second+tol)
		centre := at.Add(500 * time.Millisecond)
		var se Event
		var haveSE bool
		if fromServerErr {
			// The anchor is its own server error; serverErr is not picked
			// from in this mode, so nothing needs marking used.
			se, haveSE, centre, hi = a, true, at, at.Add(tol)
			ch.Status = 500
		} else {
			se, haveSE = serverIx.pick([]string{ch.Path}, lo, hi, func(e Event) bool { return reqPath(e.Path()) == ch.Path }, nearSided(centre), nil)
		}
		if haveSE {
			ch.ServerError = refOf(se)
			if se.Traceback() != "" || se.ExcType() != "" {
				ch.Traceback = &Ref{File: se.File(), Line: se.EndLine(), Time: se.Time(), Text: excText(se)}
				ch.ExcType, ch.ExcMessage = se.ExcType(), se.ExcMessage()
			}
		}
		if ch.Traceback == nil {
			// A bare traceback or "Unhandled exception" record printed just
			// before the request line (same file), else nearest in time.
			tb, ok := bareIx.pick([]string{fileKey(a)}, lo, hi, func(e Event) bool { return e.FileID() == a.FileID() && e.Line() < a.Line() }, nil,
				func(e Event) float64 { return float64(a.Line() - e.Line()) })
			if !ok {
				tb, ok = bareIx.pick(nil, lo, hi, nil, nearSided(centre), nil)
			}
			if ok {
				ch.Traceback = &Ref{File: tb.File(), Line: tb.EndLine(), Time: tb.Time(), Text: excText(tb)}
				ch.ExcType, ch.ExcMessage = tb.ExcType(), tb.ExcMessage()
				if tb.Path() != "" && ch.Path == "" {
					ch.Path = reqPath(tb.Path())
				}
			}
		}
		ref := centre
		if haveSE {
			ref = se.Time()
		}
		if au, ok := authIx.pick(authKeys(ch.Status, ch.Path), lo, hi, authAccepts(ch.Status, ch.Path), nearSided(ref), nil); ok {
			ch.AuthResponse = refOf(au)
		}
		// The Locust side hears of the failure after the response.
		if lf, ok := locustIx.pick(locustKeys(ch.Status, ch.Path), lo, hi.Add(tol), locustAccepts(ch.Status, ch.Path), nearSided(ref), nil); ok {
			ch.Locust = refOf(lf)
		}
		// PgBouncer's pooler error comes shortly before the server error:
		// the driver raises when PgBouncer closes the client.
		if pe, ok := poolerIx.pick(nil, ref.Add(-tol), ref.Add(200*time.Millisecond), nil, &sided{leftMax: floorMicro(ref), cost: func(e Event) float64 {
			d := ref.Sub(e.Time()).Seconds()
			if d < 0 {
				return 10 - d // after the error: only when nothing came before
			}
			return d
		}}, nil); ok {
			ch.Pooler = refOf(pe)
		}
		st.ServerErrors++
		if ch.Traceback != nil {
			st.WithTraceback++
		}
		if ch.Pooler != nil {
			st.WithPooler++
		}
		if ch.Locust != nil {
			st.WithLocust++
		}
		if ch.AuthResponse != nil {
			st.WithAuth++
		}
		if ch.Traceback == nil && ch.Pooler == nil {
			st.Unlinked++
		}
		chains = append(chains, ch)
	}
	for _, c := range locust {
		if c.e.Source() == locustSrc {
			st.LocustFailures++
			if !c.used {
				st.LocustUnmatched++
			}
		}
	}
	return chains, st
}

func near(t time.Time) func(Event) float64 {
	return func(e Event) float64 { return math.Abs(e.Time().Sub(t).Seconds()) }
}

// nearSided is near(t) with its pivot: the candidates before t are one
// side, those at or after it the other.
func nearSided(t time.Time) *sided { return &sided{leftMax: ceilMicro(t) - 1, cost: near(t)} }

// anyPath is the path part of the bucket key of a candidate that names no
// path, and so may join a chain of any path its filter allows.
const anyPath = "\x01any"

// statusKey is the status part of a candidate's bucket key: "" when the
// event has none.
func statusKey(e Event) string {
	if s, has := e.Status(); has {
		return strconv.FormatInt(s, 10)
	}
	return ""
}

// fileKey is a candidate's file as a bucket key.
func fileKey(e Event) string { return strconv.Itoa(int(e.FileID())) }

// An auth_debug response joins a chain of its status (or has none) and of
// its path (or names none).
func authAccepts(status int64, path string) func(Event) bool {
	return func(e Event) bool {
		s, has := e.Status()
		return (!has || status == 0 || s == status) && (e.Path() == "" || reqPath(e.Path()) == path)
	}
}

func authKey(c *candidate) string {
	p := anyPath
	if c.e.Path() != "" {
		p = reqPath(c.e.Path())
	}
	return statusKey(c.e) + "\x00" + p
}

// authKeys are the buckets authAccepts may take from: every one when the
// chain has no status.
func authKeys(status int64, path string) []string {
	if status == 0 {
		return nil
	}
	return statusPathKeys(status, path, true)
}

// A Locust-side failure joins a chain of its status (or has none) and of
// the path it names; one naming none joins a login's.
func locustAccepts(status int64, path string) func(Event) bool {
	return func(e Event) bool {
		if s, has := e.Status(); has && s != status {
			return false
		}
		if p := locustPath(e); p != "" {
			return p == path
		}
		return strings.Contains(path, "login")
	}
}

func locustKey(c *candidate) string {
	p := locustPath(c.e)
	if p == "" {
		p = anyPath
	}
	return statusKey(c.e) + "\x00" + p
}

func locustKeys(status int64, path string) []string {
	return statusPathKeys(status, path, strings.Contains(path, "login"))
}

// statusPathKeys are the buckets a chain of status and path reads: the
// candidates of its status or of none, of its path, and with anyToo those
// that name no path.
func statusPathKeys(status int64, path string, anyToo bool) []string {
	s := strconv.FormatInt(status, 10)
	keys := []string{s + "\x00" + path, "\x00" + path}
	if anyToo {
		keys = append(keys, s+"\x00"+anyPath, "\x00"+anyPath)
	}
	return keys
}

func excText(e Event) string {
	if e.ExcType() == "" {
		return eventText(e)
	}
	t := e.ExcType()
	if m := e.ExcMessage(); m != "" {
		t += ": " + m
	}
	return t
}

// locustPath is the request path a Locust-side failure names (its path, or
// the path of its url=...), "" when none.
func locustPath(e Event) string {
	if p := e.Path(); p != "" {
		return reqPath(p)
	}
	if u := e.Attr("url"); u != "" {
		return reqPath(u)
	}
	return ""
}

// countTracebacks counts distinct exceptions: the same record written to
// two files (django_errors.log and runserver's stderr) counts once.
func countTracebacks(serverErr, bare pool) int64 {
	var evs []Event
	for _, p := range []pool{serverErr, bare} {
		for _, c := range p {
			if c.e.Traceback() != "" || c.e.ExcType() != "" {
				evs = append(evs, c.e)
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].t.less(evs[i].row, evs[j].row) })
	d := newDeduper()
	n := int64(0)
	for _, e := range evs {
		if !d.dup(e) {
			n++
		}
	}
	return n
}

// deduper recognises copies of one record written to several files (a
// logger with two handlers: django_errors.log and runserver's stderr).
// Records are keyed by millisecond, kind, message and exception; a record
// is a copy when its file has already shown that key no more often than
// another file has. Feed events in time order (a run's events, or rows
// sorted by Table.less): a key's millisecond is part of it, so only the
// records of the current millisecond are kept.
type deduper struct {
	ms      int64
	started bool
	// seen holds the current millisecond's keys with a count per file;
	// a millisecond holds few records, so a list beats a map, until it
	// does not: a log whose times have whole seconds only (a datefmt
	// without %f) puts a second's records in one "millisecond", and a
	// storm's thousands made the list quadratic (160,000 errors in 10 s:
	// 13.5 s in dup). Past dedupList entries, at indexes them by key.
	seen []dedupSeen
	at   map[dedupK][]int32
}

// dedupList is how many keys a millisecond's list holds before it is
// indexed.
const dedupList = 32

type dedupSeen struct {
	k    dedupK
	file schema.FileID
	n    int
}

func newDeduper() *deduper { return &deduper{} }

func (d *deduper) dup(e Event) bool {
	k := dedupKey(e)
	if !d.started || k.ms != d.ms {
		d.seen, d.ms, d.started, d.at = d.seen[:0], k.ms, true, nil
	}
	f := e.FileID()
	// most is the highest count any file has shown the key with so far,
	// mine this file's entry.
	most, mine := 0, -1
	see := func(i int) {
		s := &d.seen[i]
		most = max(most, s.n)
		if s.file == f {
			mine = i
		}
	}
	if d.at != nil {
		for _, i := range d.at[k] {
			see(int(i))
		}
	} else {
		for i := range d.seen {
			if d.seen[i].k == k {
				see(i)
			}
		}
	}
	if mine < 0 {
		d.seen = append(d.seen, dedupSeen{k: k, file: f})
		mine = len(d.seen) - 1
		switch {
		case d.at != nil:
			d.at[k] = append(d.at[k], int32(mine))
		case len(d.seen) > dedupList:
			d.at = make(map[dedupK][]int32, 2*len(d.seen))
			for i, s := range d.seen {
				d.at[s.k] = append(d.at[s.k], int32(i))
			}
		}
	}
	d.seen[mine].n++
	return d.seen[mine].n <= most
}

// dedupK identifies a record across files that copy the same logger's
// output (same millisecond, kind, message, exception). A struct key: it is
// built for every clustered event, and needs no formatting or joining.
type dedupK struct {
	ms                       int64 // Unix milliseconds
	kind                     schema.EventKind
	msg, excType, excMessage string
}

func dedupKey(e Event) dedupK {
	return dedupK{floorDiv(e.t.tim[e.row], 1000), e.Kind(), e.Message(), e.ExcType(), e.ExcMessage()}
}
