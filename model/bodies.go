package model

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// What the response bodies say a run measured.
//
// Locust's "Average Content Size" is the mean body length of a request
// name's responses, after redirects. A user who is not logged in is
// redirected by Django's login_required to the login page, which Locust
// follows and counts as a 200: that request never reached the endpoint.
// Fixed-size pages (the login page, the app's error page, a page every
// POST answers) make averages exact mixes of a few sizes, so a row's
// average can be split into its parts:
//
//	n·avg = logins·L + failures·F + real·D
//
// with L the login page's size (learned from the run's own login GET row),
// F the failure page's (solved from rows whose successes were all login
// pages), and D the endpoint's real, authenticated body: learned from a run
// in the same analysis where logins really worked (the reference). Without
// a reference, what can still be seen is said with its certainty: a row of
// exactly L bytes is all login pages; a JSON API whose average is within a
// few per cent of the login page's HTML is probably mostly login pages.
//
// Every split carries its arithmetic, so a reader can redo it.

// Tunables of the body arithmetic. They are properties of the arithmetic
// (how exact Locust's printed averages are, when two sizes are too close to
// be told apart), not of any application.
const (
	// sizeTol: Locust prints averages with ~15 significant digits; a
	// count solved from them is whole within this.
	sizeTol = 0.02
	// minSeparation: a real body within this share of the login page's
	// size cannot be told from it.
	minSeparation = 0.05
	// nearLogin: a JSON API averaging within this share of the login page
	// is probably answering the login page.
	nearLogin = 0.05
	// minAgree: rows that must solve to one failure-page size.
	minAgree = 3
	// minSharedEndpoints: request names answering one fixed body before it
	// is called a shared page rather than their data.
	minSharedEndpoints = 3
	// notMeasuredShare: a run whose successes were at least this share
	// login pages (and shared fixed pages) does not measure the app.
	notMeasuredShare = 0.5
)

// Size is a body size learned from the data, with where it was learned.
type Size struct {
	Bytes float64
	// From says how: "login GET row", "runserver login lines", "solved
	// from N rows", "borrowed from run X".
	From string
	Row  *parsers.StatRow // the row it was read from, when one
	Run  *correlate.Run   // the run it was learned in
	// Rows are the rows that agreed on it (failure page, shared body).
	Rows []*parsers.StatRow
	// Lines is the runserver line it was read from, when it was.
	Line *correlate.Event
	N    int // lines that agreed
}

// Split kinds of a row.
const (
	SplitReference = "reference"  // decomposed with the reference run's real body
	SplitExact     = "exact"      // average is exactly the login page (or a mix of it and the failure page)
	SplitShared    = "shared"     // every response was the shared fixed body
	SplitNearLogin = "near-login" // JSON API averaging within a few % of the login page
	SplitReal      = "real"       // no sign of login pages: average far from L, or the reference says so
	SplitUnknown   = "unknown"    // cannot tell (no reference, average not L)
	SplitTooClose  = "too-close"  // the real body is too close to the login page to tell apart
)

// RowSplit is one request row's responses split into login pages, failure
// pages, shared pages and real data.
type RowSplit struct {
	Row  *parsers.StatRow
	Kind string
	// Counts are estimates (reference splits are real-valued: bodies vary).
	Successes  int64
	LoginPages float64
	Real       float64
	Shared     int64
	// RefRow is the reference run's row for the same name (Kind reference
	// or too-close).
	RefRow *parsers.StatRow
	// Arithmetic is the computation in words and figures.
	Arithmetic string
}

// LoginShare is the share of the row's successes that were login pages.
func (s RowSplit) LoginShare() float64 {
	if s.Successes == 0 {
		return 0
	}
	return s.LoginPages / float64(s.Successes)
}

// Bodies is what one run's response sizes say.
type Bodies struct {
	Run       *correlate.Run
	LoginPage *Size // nil when the login page's size is unknown
	Failure   *Size // the failure page's size, nil when not solved
	Shared    []Size
	Reference *correlate.Run // where real bodies were learned, nil when none
	Rows      []RowSplit     // non-auth request rows, in Locust's order

	// Totals over the non-auth rows' successes.
	Successes  int64
	LoginPages float64 // exact + reference splits
	Near       int64   // successes of near-login rows (probably login pages)
	Real       float64
	SharedN    int64
	Unknown    int64
	// RealFromReference is the part of Real decided by the reference.
	RealFromReference bool
}

// LoginPageShare is the share of non-auth successes that were login
// pages (exact or solved with the reference): a lower bound.
func (b *Bodies) LoginPageShare() float64 {
	if b == nil || b.Successes == 0 {
		return 0
	}
	return b.LoginPages / float64(b.Successes)
}

// UpperShare adds the rows that are probably login pages and the rows that
// cannot be told: the most the login page can have been.
func (b *Bodies) UpperShare() float64 {
	if b == nil || b.Successes == 0 {
		return 0
	}
	return (b.LoginPages + float64(b.Near) + float64(b.Unknown)) / float64(b.Successes)
}

// NotMeasured reports whether the run did not measure the application:
// at least half its non-login successes were login pages or one shared
// fixed page.
func (b *Bodies) NotMeasured() bool {
	if b == nil || b.Successes == 0 {
		return false
	}
	return (b.LoginPages+float64(b.SharedN))/float64(b.Successes) >= notMeasuredShare
}

// Measurement is what the bodies of every run of an analysis say, with
// the reference runs learned across them. Compute it once per analysis.
type Measurement struct {
	Runs map[*correlate.Run]*Bodies
	// Reference is the run whose real bodies the others are split with
	// (the best of References), nil when no run's logins worked.
	Reference  *correlate.Run
	References []*correlate.Run
	// Logins are the login POST signatures per run.
	Logins map[*correlate.Run]*LoginSignature
	// RealLogin and RejectedLogin are what a working and a rejected login
	// POST answer, learned across the runs (nil when unknown).
	RealLogin     *LoginShape
	RejectedLogin *LoginShape
}

// Of returns a run's bodies (nil when the run is not in the analysis).
func (m *Measurement) Of(r *correlate.Run) *Bodies {
	if m == nil {
		return nil
	}
	return m.Runs[r]
}

// Measure computes the measurement of every run of a.
func Measure(a *correlate.Analysis) *Measurement {
	m := &Measurement{Runs: map[*correlate.Run]*Bodies{}, Logins: map[*correlate.Run]*LoginSignature{}}
	if a == nil {
		return m
	}
	own := map[*correlate.Run]*Size{}
	for _, r := range a.Runs {
		if l := loginPageSize(r); l != nil {
			own[r] = l
		}
	}
	m.References = references(a.Runs, own)
	if len(m.References) > 0 {
		m.Reference = m.References[0]
	}
	borrowed := borrowLoginPage(own) // the same for every run: made once, not once per run
	for _, r := range a.Runs {
		m.Runs[r] = splitRun(r, own, borrowed, m.References)
	}
	m.RealLogin, m.RejectedLogin = loginShapes(a.Runs, m.References, own)
	for _, r := range a.Runs {
		if s := loginSignature(r, m.RealLogin, m.RejectedLogin, own[r]); s != nil {
			m.Logins[r] = s
		}
	}
	return m
}

// loginPageSize learns the login page's size from the run itself: the
// login GET row when every response had the same size (a whole-number
// average, no failure), else the runserver lines "GET <login> 200 SIZE"
// when they all agree.
func loginPageSize(r *correlate.Run) *Size {
	get, _ := LoginRows(r)
	if get != nil && get.Requests > 0 && get.Failures == 0 && get.AvgContentSize != nil && isWhole(*get.AvgContentSize) && *get.AvgContentSize > 0 {
		return &Size{Bytes: *get.AvgContentSize, From: "the login GET row (every response this size)", Row: get, Run: r}
	}
	var sizes []int64
	var first *correlate.Event
	for _, e := range r.Events.All() {
		size, hasSize := e.Size()
		if e.Kind() != schema.KindRequest || e.Method() != "GET" || e.StatusOr0() != 200 || !hasSize {
			continue
		}
		// Cut, not SplitN, and a copy of e taken only for the first line:
		// this loop visits every request of the run.
		if p, _, _ := strings.Cut(e.Path(), "?"); strings.HasSuffix(p, "/login/") {
			sizes = append(sizes, size)
			if first == nil {
				ev := e
				first = &ev
			}
		}
	}
	if len(sizes) == 0 {
		return nil
	}
	for _, s := range sizes[1:] {
		if s != sizes[0] {
			return nil
		}
	}
	return &Size{Bytes: float64(sizes[0]), From: fmt.Sprintf("runserver's login page lines (all %d are %d bytes)", len(sizes), sizes[0]), Line: first, N: len(sizes), Run: r}
}

// references are the runs where logins really worked, best first: a login
// POST row with no failure whose every response had one size that is not
// the login page (the page the login redirects to), and request rows whose
// bodies are not the login page. Best: most such rows, then latest.
func references(runs []*correlate.Run, own map[*correlate.Run]*Size) []*correlate.Run {
	type cand struct {
		r    *correlate.Run
		real int
		at   int
	}
	var cs []cand
	for i, r := range runs {
		l := own[r]
		if l == nil {
			continue
		}
		_, post := LoginRows(r)
		if post == nil || post.Requests == 0 || post.Failures != 0 || post.AvgContentSize == nil ||
			!isWhole(*post.AvgContentSize) || math.Abs(*post.AvgContentSize-l.Bytes) < 0.5 {
			continue
		}
		if loginFailuresLogged(r) {
			continue
		}
		real := 0
		for _, s := range RequestRows(r) {
			if IsAuthName(s.Name) || s.AvgContentSize == nil || s.Requests == 0 {
				continue
			}
			if math.Abs(*s.AvgContentSize-l.Bytes) > 0.5 {
				real++
			}
		}
		// Most of its endpoints must answer something other than the
		// login page, or it is no reference for their bodies.
		if real == 0 || real*2 < countNonAuth(r) {
			continue
		}
		cs = append(cs, cand{r, real, i})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].real != cs[j].real {
			return cs[i].real > cs[j].real
		}
		return cs[i].at > cs[j].at
	})
	out := make([]*correlate.Run, len(cs))
	for i, c := range cs {
		out[i] = c.r
	}
	return out
}

// loginFailuresLogged reports whether the locustfile or the server logged
// a failed login for the run (a run with those is no reference even when
// Locust counted every login as a success).
func loginFailuresLogged(r *correlate.Run) bool {
	for _, e := range r.Events.All() {
		if e.Kind() == schema.KindLoginFailure {
			return true
		}
		if e.Kind() == schema.KindAuthResponse && strings.EqualFold(e.Method(), "POST") && e.StatusOr0() == 200 {
			return true
		}
	}
	return false
}

func countNonAuth(r *correlate.Run) int {
	n := 0
	for _, s := range RequestRows(r) {
		if !IsAuthName(s.Name) && s.Requests > 0 {
			n++
		}
	}
	return n
}

// refRow finds a name's row in the references (the first that has it with
// no failure and a known size).
func refRow(refs []*correlate.Run, s *parsers.StatRow) *parsers.StatRow {
	for _, ref := range refs {
		for _, o := range RequestRows(ref) {
			if o.Type == s.Type && o.Name == s.Name && o.Failures == 0 && o.Requests > 0 && o.AvgContentSize != nil {
				return o
			}
		}
	}
	return nil
}

func splitRun(r *correlate.Run, own map[*correlate.Run]*Size, borrowed *Size, refs []*correlate.Run) *Bodies {
	b := &Bodies{Run: r, LoginPage: own[r]}
	if b.LoginPage == nil && borrowed != nil {
		c := *borrowed // each run its own copy, as it was
		b.LoginPage = &c
	}
	b.Shared = sharedBodies(r, b.LoginPage)
	if b.LoginPage != nil {
		b.Failure = failurePage(r, b.LoginPage.Bytes)
	}
	var usable []*correlate.Run
	for _, ref := range refs {
		if ref != r {
			usable = append(usable, ref)
		}
	}
	if isReference(r, refs) {
		usable = nil // a reference is split with nothing: its bodies are the real ones
	}
	if len(usable) > 0 {
		b.Reference = usable[0]
	}
	shared := map[int64]bool{}
	for _, s := range b.Shared {
		shared[int64(s.Bytes)] = true
	}
	for _, s := range RequestRows(r) {
		if IsAuthName(s.Name) || s.Requests == 0 || s.AvgContentSize == nil {
			continue
		}
		sp := splitRow(s, b, usable, shared, isReference(r, refs))
		b.Rows = append(b.Rows, sp)
		b.Successes += sp.Successes
		switch sp.Kind {
		case SplitReference, SplitExact:
			b.LoginPages += sp.LoginPages
			b.Real += sp.Real
			if sp.Kind == SplitReference {
				b.RealFromReference = true
			}
		case SplitShared:
			b.SharedN += sp.Shared
		case SplitNearLogin:
			b.Near += sp.Successes
		case SplitReal:
			b.Real += sp.Real
		default:
			b.Unknown += sp.Successes
		}
	}
	return b
}

func isReference(r *correlate.Run, refs []*correlate.Run) bool {
	for _, x := range refs {
		if x == r {
			return true
		}
	}
	return false
}

// borrowLoginPage takes the login page's size from the other runs when the
// run's own rows do not show it and they all agree.
func borrowLoginPage(own map[*correlate.Run]*Size) *Size {
	var first *Size
	for _, o := range sortedOwn(own) {
		if first == nil {
			first = o
		} else if o.Bytes != first.Bytes {
			return nil
		}
	}
	if first == nil {
		return nil
	}
	c := *first
	c.From = "borrowed from run " + first.Run.Name + "'s " + first.From
	return &c
}

func sortedOwn(own map[*correlate.Run]*Size) []*Size {
	out := make([]*Size, 0, len(own))
	for _, s := range own {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Run.Name < out[j].Run.Name })
	return out
}

// sharedBodies are fixed sizes (not the login page) that every response of
// at least minSharedEndpoints request names with different request counts
// had, none of them failing:
// different endpoints answering exactly the same bytes is one page, not
// their data. What page it is the bodies cannot say.
func sharedBodies(r *correlate.Run, login *Size) []Size {
	by := map[int64][]*parsers.StatRow{}
	for _, s := range RequestRows(r) {
		if IsAuthName(s.Name) || s.AvgContentSize == nil || s.Failures != 0 || s.Requests == 0 || !isWhole(*s.AvgContentSize) {
			continue
		}
		v := int64(math.Round(*s.AvgContentSize))
		if v <= 0 || (login != nil && float64(v) == login.Bytes) {
			continue
		}
		by[v] = append(by[v], s)
	}
	var out []Size
	for v, rows := range by {
		// The same average over rows of different sizes is one page (and
		// single responses are what they are); rows that all have the same
		// few requests can share an average by being the same mix of
		// pages (2 login pages and 1 error page).
		counts := map[int64]bool{}
		for _, s := range rows {
			counts[s.Requests] = true
		}
		single := len(counts) == 1 && counts[1] // one response each: no mix
		if len(rows) >= minSharedEndpoints && (len(counts) >= 2 || single) {
			out = append(out, Size{Bytes: float64(v), From: fmt.Sprintf("every response of %d request names", len(rows)), Rows: rows, Run: r})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bytes < out[j].Bytes })
	return out
}

// failurePage solves (avg·n − (n−f)·L)/f for rows with failures, and keeps
// the size when at least minAgree rows give the same whole number: the
// page failed requests carry.
func failurePage(r *correlate.Run, L float64) *Size {
	votes := map[int64][]*parsers.StatRow{}
	for _, s := range RequestRows(r) {
		if IsAuthName(s.Name) || s.AvgContentSize == nil || s.Failures == 0 || s.Failures > s.Requests {
			continue
		}
		n, f := float64(s.Requests), float64(s.Failures)
		v := (*s.AvgContentSize*n - (n-f)*L) / f
		if v <= 0 || math.Abs(v-math.Round(v)) > sizeTol || math.Round(v) == L {
			continue
		}
		votes[int64(math.Round(v))] = append(votes[int64(math.Round(v))], s)
	}
	best, bestN := int64(0), 0
	for v, rows := range votes {
		if len(rows) > bestN || (len(rows) == bestN && v < best) {
			best, bestN = v, len(rows)
		}
	}
	if bestN < minAgree {
		return nil
	}
	return &Size{Bytes: float64(best), From: fmt.Sprintf("solved from %d rows whose successes were all the login page", bestN), Rows: votes[best], Run: r}
}

// MixCount solves avg·n = k·a + (n−k)·b for a whole k in 0..n: the number
// of a-sized bodies in a row whose bodies are all a or b bytes.
func MixCount(s *parsers.StatRow, a, b float64) (int64, bool) {
	if s.AvgContentSize == nil || a == b || s.Requests == 0 {
		return 0, false
	}
	n := float64(s.Requests)
	k := (*s.AvgContentSize*n - n*b) / (a - b)
	if math.Abs(k-math.Round(k)) > sizeTol || math.Round(k) < 0 || math.Round(k) > n {
		return 0, false
	}
	return int64(math.Round(k)), true
}

func splitRow(s *parsers.StatRow, b *Bodies, refs []*correlate.Run, shared map[int64]bool, self bool) RowSplit {
	succ := s.Requests - s.Failures
	if succ < 0 {
		succ = 0
	}
	sp := RowSplit{Row: s, Successes: succ, Kind: SplitUnknown}
	avg := *s.AvgContentSize
	if s.Failures == 0 && isWhole(avg) && shared[int64(math.Round(avg))] {
		sp.Kind, sp.Shared = SplitShared, succ
		sp.Arithmetic = fmt.Sprintf("every response %s B, the fixed body %s", bytesText(avg), "several request names share")
		return sp
	}
	if b.LoginPage == nil || succ == 0 {
		return sp
	}
	L := b.LoginPage.Bytes
	if self {
		// A reference run's own bodies are its real data, except rows
		// that are exactly the login page.
		if math.Abs(avg-L) < 0.5 {
			sp.Kind, sp.LoginPages = SplitExact, float64(succ)
			sp.Arithmetic = fmt.Sprintf("average %s B = the login page", bytesText(avg))
			return sp
		}
		sp.Kind, sp.Real = SplitReal, float64(succ)
		sp.Arithmetic = "a run where logins worked: its bodies are the endpoint's"
		return sp
	}
	n, f := float64(s.Requests), float64(s.Failures)
	F, fKnown := L, false
	if b.Failure != nil {
		F, fKnown = b.Failure.Bytes, true
	}
	if ref := refRow(refs, s); ref != nil {
		D := *ref.AvgContentSize
		sp.RefRow = ref
		if math.Abs(D-L) < minSeparation*L {
			// Too close to split by size; an average of exactly L is
			// still read below.
			sp.Kind = SplitTooClose
			sp.Arithmetic = fmt.Sprintf("the real body (%s B in %s) is within %.0f %% of the login page's %s B: cannot be told apart by size",
				bytesText(D), ref.Run, 100*math.Abs(D-L)/L, bytesText(L))
		} else {
			kD := (n*avg - f*F - float64(succ)*L) / (D - L)
			kD = math.Max(0, math.Min(float64(succ), kD))
			sp.Kind, sp.Real, sp.LoginPages = SplitReference, kD, float64(succ)-kD
			failPart := ""
			if s.Failures > 0 {
				failPart = fmt.Sprintf(" − %s × %s", humanize.Thousands(s.Failures), bytesText(F))
				if !fKnown {
					failPart += " (failure page size unknown: taken as the login page's)"
				}
			}
			sp.Arithmetic = fmt.Sprintf("real = (%s × %s%s − %s × %s) / (%s − %s) ≈ %s of %s successes; real body %s B from %s, login page %s B",
				humanize.Thousands(s.Requests), bytesText(avg), failPart, humanize.Thousands(succ), bytesText(L),
				bytesText(D), bytesText(L), countText(kD), humanize.Thousands(succ), bytesText(D), ref.Run, bytesText(L))
			return sp
		}
	}
	if math.Abs(avg-L) < 0.5 {
		sp.Kind, sp.LoginPages = SplitExact, float64(succ)
		sp.Arithmetic = fmt.Sprintf("average %s B = the login page", bytesText(avg))
		return sp
	}
	if fKnown {
		if k, ok := MixCount(s, L, F); ok && k > 0 {
			if k > succ {
				k = succ
			}
			sp.Kind, sp.LoginPages = SplitExact, float64(k)
			sp.Arithmetic = fmt.Sprintf("%s × %s = %d login pages of %s B + %d failure pages of %s B",
				humanize.Thousands(s.Requests), bytesText(avg), k, bytesText(L), s.Requests-k, bytesText(F))
			return sp
		}
	}
	if sp.Kind == SplitTooClose {
		return sp
	}
	if isJSONAPI(s.Name) && math.Abs(avg-L) <= nearLogin*L {
		sp.Kind = SplitNearLogin
		sp.Arithmetic = fmt.Sprintf("a JSON API averaging %s B, within %.1f %% of the %s-byte HTML login page: probably mostly login pages (no reference run gives its real size)",
			bytesText(avg), 100*math.Abs(avg-L)/L, bytesText(L))
		return sp
	}
	if math.Abs(avg-L) > 0.5*L {
		// Far from the login page: whatever the mix, most bodies were
		// something else.
		sp.Kind, sp.Real = SplitReal, float64(succ)
		sp.Arithmetic = fmt.Sprintf("average %s B, far from the login page's %s B", bytesText(avg), bytesText(L))
	}
	return sp
}

// isJSONAPI: a request name under an /api/ path answers JSON, which is
// never the size of an HTML page by coincidence for long.
func isJSONAPI(name string) bool {
	return strings.Contains(strings.ToLower(name), "/api/")
}

func isWhole(f float64) bool { return math.Abs(f-math.Round(f)) < 1e-6 }

// bytesText writes a size: whole numbers with separators, else two
// decimals ("13,923.97").
func bytesText(f float64) string {
	if isWhole(f) {
		return humanize.Thousands(int64(math.Round(f)))
	}
	w := math.Trunc(f)
	frac := strconv.FormatFloat(f-w, 'f', 2, 64)
	if strings.HasPrefix(frac, "1") { // rounding carried
		return humanize.Thousands(int64(w)+1) + ".00"
	}
	return humanize.Thousands(int64(w)) + strings.TrimPrefix(frac, "0")
}

// countText writes an estimated count: whole when it is, else one decimal.
func countText(f float64) string {
	if math.Abs(f-math.Round(f)) < 0.05 {
		return humanize.Thousands(int64(math.Round(f)))
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// BytesText writes a body size as the arithmetic does.
func BytesText(f float64) string { return bytesText(f) }

// CountText writes an estimated count as the arithmetic does.
func CountText(f float64) string { return countText(f) }
