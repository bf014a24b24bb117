package rules

// The run's own stretch of time and the events, chains and matcher records
// inside it: correlate attaches a margin to each run's events; the server
// rules claim only the run's own window.

import (
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
)

// serverSource reports whether an event comes from the application server
// (not the load generator, not the pooler).
func serverSource(e *correlate.Event) bool {
	return e.Source().Process() == schema.ProcessDjango
}

// Facts about a run's server side that several server checks read.

// eventBlob is an event's searchable text: message, exception and
// traceback together.
func eventBlob(e *correlate.Event) string {
	var b strings.Builder
	b.WriteString(e.Message())
	if e.ExcType() != "" || e.ExcMessage() != "" {
		b.WriteString("\n" + e.ExcType() + ": " + e.ExcMessage())
	}
	if e.Traceback() != "" {
		b.WriteString("\n" + e.Traceback())
	}
	return b.String()
}

// hasSource reports whether any event of the run's own window came from
// the format.
func hasSource(ctx *Context, source schema.SourceKind) bool {
	for _, e := range ownEvents(ctx) {
		if e.Source() == source {
			return true
		}
	}
	return false
}

// Run.Events spans the run's window plus the correlation margin, so the
// logs of back-to-back runs overlap. The server checks claim only the
// run's own stretch of time.
const (
	ownLead = 5 * time.Second   // clock lag left after correlation
	ownTail = 130 * time.Second // requests still queued at the stop (PgBouncer's 120 s timeout + slack)
)

// ownFacts is the run's own window and the events, chains and matcher
// records inside it. Every server check and match rule reads them, so
// EvaluateRun computes them once per run instead of once per call.
type ownFacts struct {
	done     bool
	from, to time.Time
	windowed bool
	events   []*correlate.Event
	chains   []*correlate.Chain

	recordsDone bool
	records     []record

	ceilingDone bool
	ceiling     *ceiling
}

// facts returns the run's own facts, computing them on first use (a
// Context built by hand, as in unit tests, gets its own).
func (ctx *Context) facts() *ownFacts {
	if ctx.own == nil {
		ctx.own = &ownFacts{}
	}
	o := ctx.own
	if o.done {
		return o
	}
	o.done = true
	o.from, o.to, o.windowed = computeOwnWindow(ctx)
	run := ctx.Run
	vals := make([]correlate.Event, 0, run.Events.Len())
	for _, e := range run.Events.All() {
		if o.windowed && (!e.Resolved() || !within(e.Time(), o.from, o.to)) {
			continue
		}
		vals = append(vals, e)
	}
	o.events = make([]*correlate.Event, len(vals))
	for i := range vals {
		o.events[i] = &vals[i]
	}
	o.events = o.events[:len(o.events):len(o.events)] // shared: an append must copy
	for i := range run.Chains {
		c := &run.Chains[i]
		if o.windowed && !c.Anchor.Time.IsZero() && !within(c.Anchor.Time, o.from, o.to) {
			continue
		}
		o.chains = append(o.chains, c)
	}
	o.chains = o.chains[:len(o.chains):len(o.chains)]
	return o
}

// ownWindow is [start - ownLead, end + ownTail], cut at the start of the
// next run and the end of the previous one; ok is false when the run's
// window is unknown (then every event counts).
func ownWindow(ctx *Context) (from, to time.Time, ok bool) {
	o := ctx.facts()
	return o.from, o.to, o.windowed
}

func computeOwnWindow(ctx *Context) (from, to time.Time, ok bool) {
	run := ctx.Run
	if run.Start.IsZero() || run.End.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	from, to = run.Start.Add(-ownLead), run.End.Add(ownTail)
	if ctx.Analysis != nil {
		for _, o := range ctx.Analysis.Runs {
			if o == run || o.Start.IsZero() || o.End.IsZero() {
				continue
			}
			if !o.Start.Before(run.Start) && o.Start.Before(to) {
				to = o.Start
			}
			if o.Start.Before(run.Start) && o.End.After(from) && o.End.Before(run.Start) {
				from = o.End
			}
		}
	}
	return from, to, true
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// ownEvents returns the run's events inside ownWindow (unresolved times
// cannot be placed and are left out when the window is known). The slice
// is shared by the run's rules: read it, do not modify it.
func ownEvents(ctx *Context) []*correlate.Event { return ctx.facts().events }

// ownChains returns the run's chains whose anchor lies in ownWindow
// (shared, like ownEvents).
func ownChains(ctx *Context) []*correlate.Chain { return ctx.facts().chains }
