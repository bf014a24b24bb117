package correlate

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/logcorr/logcorr/parsers"
)

// candidate is an event that may join a chain, with its preference rank
// (lower wins: the dedicated log file before a copy of the same record in
// runserver's stderr).
type candidate struct {
	e    *Event
	rank int
	used bool
	// twins are copies of the same record in other files (one logger,
	// two handlers): using one uses them all.
	twins []*candidate
}

type pool []*candidate

// pick takes the unused candidate in [lo, hi] that passes ok and has the
// lowest (rank, cost); ties go to the earlier time, then file, then line.
func (p pool) pick(lo, hi time.Time, ok func(*Event) bool, cost func(*Event) float64) *Event {
	var best *candidate
	var bestCost float64
	// Pools are in time order (the run's events are): search, then scan.
	start := sort.Search(len(p), func(i int) bool { return !p[i].e.Time.Before(lo) })
	for _, c := range p[start:] {
		if c.e.Time.After(hi) {
			break
		}
		if c.used || (ok != nil && !ok(c.e)) {
			continue
		}
		k := cost(c.e)
		if best == nil || c.rank < best.rank || (c.rank == best.rank && (k < bestCost || (k == bestCost && eventLess(c.e, best.e)))) {
			best, bestCost = c, k
		}
	}
	if best == nil {
		return nil
	}
	best.used = true
	for _, t := range best.twins {
		t.used = true
	}
	return best.e
}

// pairTwins links each candidate to its copies in other files: same
// millisecond, kind, message and exception, one copy per file.
func (p pool) pairTwins() {
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
		nth := map[string]int{}
		rows := map[int][]*candidate{}
		for _, c := range group {
			i := nth[c.e.File]
			nth[c.e.File]++
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

func eventLess(a, b *Event) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
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

func refOf(e *Event) *Ref {
	return &Ref{File: e.File, Line: e.Line, Time: e.Time, Text: eventText(e)}
}

func eventText(e *Event) string {
	t := e.Text
	if t == "" {
		t = e.Message
	}
	if t == "" && e.ExcType != "" {
		t = e.ExcType + ": " + e.ExcMessage
	}
	if len(t) > 300 {
		t = t[:300] + "…"
	}
	return t
}

func status(e *Event) int64 {
	if e.Status == nil {
		return 0
	}
	return *e.Status
}

// link builds one chain per server error: the runserver 5xx request line
// (or, without request lines, the django.request record) and the records
// of the same failure in the other logs, each used at most once, nearest in
// time first.
func link(r *Run, tol time.Duration) ([]Chain, LinkStats) {
	var st LinkStats
	var anchors []*Event
	var serverErr, bare, auth, locust, pooler pool
	hasRequests := false
	locustSrc := ""
	for i := range r.Events {
		e := &r.Events[i]
		switch e.Kind {
		case parsers.KindRequest:
			hasRequests = true
			if status(e) >= 500 {
				anchors = append(anchors, e)
			}
		case parsers.KindServerError:
			rank := 1
			if e.Source == "django" {
				rank = 0
			}
			serverErr = append(serverErr, &candidate{e: e, rank: rank})
		case parsers.KindTraceback, parsers.KindUnhandled:
			bare = append(bare, &candidate{e: e})
		case parsers.KindAuthResponse, parsers.KindAuthFailure:
			rank := 0
			if e.Kind == parsers.KindAuthFailure {
				rank = 2
			}
			if e.Source != "auth_debug" {
				rank++
			}
			auth = append(auth, &candidate{e: e, rank: rank})
		case parsers.KindLoginFailure:
			rank := 1
			if e.Source == "locust_auth" {
				rank, locustSrc = 0, "locust_auth"
			}
			locust = append(locust, &candidate{e: e, rank: rank})
		case parsers.KindPoolerError:
			pooler = append(pooler, &candidate{e: e})
		}
	}
	for _, p := range []pool{serverErr, bare, auth, locust} {
		p.pairTwins()
	}
	if locustSrc == "" && len(locust) > 0 {
		locustSrc = locust[0].e.Source
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

	var chains []Chain
	for _, a := range anchors {
		ch := Chain{Anchor: *refOf(a), Method: a.Method, Path: reqPath(a.Path), Status: status(a), Deltas: map[string]int64{}}
		// A request line has second resolution and is written when the
		// response is done: the events lie within that second ± tol.
		lo, hi := a.Time.Add(-tol), a.Time.Add(time.Second+tol)
		centre := a.Time.Add(500 * time.Millisecond)
		var se *Event
		if fromServerErr {
			// The anchor is its own server error; serverErr is not picked
			// from in this mode, so nothing needs marking used.
			se, centre, hi = a, a.Time, a.Time.Add(tol)
			ch.Status = 500
		} else {
			se = serverErr.pick(lo, hi, func(e *Event) bool { return reqPath(e.Path) == ch.Path }, near(centre))
		}
		if se != nil {
			ch.ServerError = refOf(se)
			if se.Traceback != "" || se.ExcType != "" {
				ch.Traceback = &Ref{File: se.File, Line: se.EndLine, Time: se.Time, Text: excText(se)}
				ch.ExcType, ch.ExcMessage = se.ExcType, se.ExcMessage
			}
		}
		if ch.Traceback == nil {
			// A bare traceback or "Unhandled exception" record printed just
			// before the request line (same file), else nearest in time.
			tb := bare.pick(lo, hi, func(e *Event) bool { return e.File == a.File && e.Line < a.Line }, func(e *Event) float64 { return float64(a.Line - e.Line) })
			if tb == nil {
				tb = bare.pick(lo, hi, nil, near(centre))
			}
			if tb != nil {
				ch.Traceback = &Ref{File: tb.File, Line: tb.EndLine, Time: tb.Time, Text: excText(tb)}
				ch.ExcType, ch.ExcMessage = tb.ExcType, tb.ExcMessage
				if tb.Path != "" && ch.Path == "" {
					ch.Path = reqPath(tb.Path)
				}
			}
		}
		ref := centre
		if se != nil {
			ref = se.Time
		}
		if au := auth.pick(lo, hi, func(e *Event) bool {
			return (e.Status == nil || ch.Status == 0 || status(e) == ch.Status) && (e.Path == "" || reqPath(e.Path) == ch.Path)
		}, near(ref)); au != nil {
			ch.AuthResponse = refOf(au)
		}
		// The Locust side hears of the failure after the response.
		if lf := locust.pick(lo, hi.Add(tol), func(e *Event) bool {
			if e.Status != nil && status(e) != ch.Status {
				return false
			}
			if p := locustPath(e); p != "" {
				return p == ch.Path
			}
			return strings.Contains(ch.Path, "login")
		}, near(ref)); lf != nil {
			ch.Locust = refOf(lf)
		}
		// PgBouncer's pooler error comes shortly before the server error:
		// the driver raises when PgBouncer closes the client.
		if pe := pooler.pick(ref.Add(-tol), ref.Add(200*time.Millisecond), nil, func(e *Event) float64 {
			d := ref.Sub(e.Time).Seconds()
			if d < 0 {
				return 10 - d // after the error: only when nothing came before
			}
			return d
		}); pe != nil {
			ch.Pooler = refOf(pe)
		}
		for name, m := range map[string]*Ref{"locust": ch.Locust, "auth": ch.AuthResponse, "server_error": ch.ServerError, "traceback": ch.Traceback, "pooler": ch.Pooler} {
			if m != nil {
				ch.Deltas[name] = m.Time.Sub(a.Time).Milliseconds()
			}
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
		if c.e.Source == locustSrc {
			st.LocustFailures++
			if !c.used {
				st.LocustUnmatched++
			}
		}
	}
	return chains, st
}

func near(t time.Time) func(*Event) float64 {
	return func(e *Event) float64 { return math.Abs(e.Time.Sub(t).Seconds()) }
}

func excText(e *Event) string {
	if e.ExcType == "" {
		return eventText(e)
	}
	t := e.ExcType
	if e.ExcMessage != "" {
		t += ": " + e.ExcMessage
	}
	return t
}

// locustPath is the request path a Locust-side failure names (its path, or
// the path of its url=...), "" when none.
func locustPath(e *Event) string {
	if e.Path != "" {
		return reqPath(e.Path)
	}
	if u := e.Attrs["url"]; u != "" {
		return reqPath(u)
	}
	return ""
}

// countTracebacks counts distinct exceptions: the same record written to
// two files (django_errors.log and runserver's stderr) counts once.
func countTracebacks(serverErr, bare pool) int64 {
	var evs []*Event
	for _, p := range []pool{serverErr, bare} {
		for _, c := range p {
			if c.e.Traceback != "" || c.e.ExcType != "" {
				evs = append(evs, c.e)
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return eventLess(evs[i], evs[j]) })
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
// another file has. Feed events in time order.
type deduper struct {
	perFile map[dedupK]map[string]int
	most    map[dedupK]int
}

func newDeduper() *deduper {
	return &deduper{perFile: map[dedupK]map[string]int{}, most: map[dedupK]int{}}
}

func (d *deduper) dup(e *Event) bool {
	k := dedupKey(e)
	m := d.perFile[k]
	if m == nil {
		m = map[string]int{}
		d.perFile[k] = m
	}
	m[e.File]++
	if m[e.File] <= d.most[k] {
		return true
	}
	d.most[k] = m[e.File]
	return false
}

// dedupK identifies a record across files that copy the same logger's
// output (same millisecond, kind, message, exception). A struct key: it is
// built for every clustered event, and needs no formatting or joining.
type dedupK struct {
	ms                             int64 // Unix milliseconds
	kind, msg, excType, excMessage string
}

func dedupKey(e *Event) dedupK {
	return dedupK{e.Time.UnixMilli(), e.Kind, e.Message, e.ExcType, e.ExcMessage}
}
