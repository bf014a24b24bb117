package rules

// The run's own stretch of time and the events, chains and matcher records
// inside it: correlate attaches a margin to each run's events; the server
// rules claim only the run's own window.

import (
	"sync"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
)

// serverSource reports whether an event comes from the application server
// (not the load generator, not the pooler).
func serverSource(e correlate.Event) bool {
	return e.Source().Process() == schema.ProcessDjango
}

// Facts about a run's server side that several server checks read.

// hasSource reports whether any event of the run's own window came from
// the format.
func hasSource(ctx *Context, source schema.SourceKind) bool { return ctx.facts().sources[source] }

// ownFacts is the run's own window and the events, chains and matcher
// records inside it. Every server check and match rule reads them, so
// EvaluateRun computes them once per run instead of once per call.
//
// A run's rules may be evaluated at once (Evaluate, fewer runs than
// cores), so each part is computed under its own sync.Once.
type ownFacts struct {
	done     sync.Once
	from, to time.Time
	windowed bool
	events   correlate.Events
	chains   []*correlate.Chain
	sources  map[schema.SourceKind]bool
	pool     *correlate.PoolFacts

	recordsDone sync.Once
	records     []record

	ceilingDone sync.Once
	ceiling     *ceiling

	unplacedDone sync.Once
	unplaced     map[Source][]string // unplacedLogs
}

// facts returns the run's own facts, computing them on first use (a
// Context built by hand, as in unit tests, gets its own).
func (ctx *Context) facts() *ownFacts {
	if ctx.own == nil {
		ctx.own = &ownFacts{}
	}
	o := ctx.own
	o.done.Do(func() {
		var runs []*correlate.Run
		if ctx.Analysis != nil {
			runs = ctx.Analysis.Runs
		}
		own := correlate.OwnIn(ctx.Run, runs)
		o.from, o.to, o.windowed = own.From, own.To, own.Windowed
		o.events, o.chains, o.sources, o.pool = own.Events, own.Chains, own.Sources, &own.Pool
	})
	return o
}

// ownWindow is the run's own stretch (correlate.Own: [start - 5 s,
// end + 130 s], cut at its neighbours); ok is false when the run's window
// is unknown (then every event counts).
func ownWindow(ctx *Context) (from, to time.Time, ok bool) {
	o := ctx.facts()
	return o.from, o.to, o.windowed
}

// ownEvents returns the run's events inside ownWindow (correlate.Own:
// unresolved times cannot be placed and are left out when the window is
// known).
func ownEvents(ctx *Context) correlate.Events { return ctx.facts().events }

// ownChains returns the run's chains whose anchor lies in ownWindow
// (shared, like ownEvents).
func ownChains(ctx *Context) []*correlate.Chain { return ctx.facts().chains }
