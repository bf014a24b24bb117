package rules

import (
	"reflect"
	"sync"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
)

// analysisFacts are the facts about the whole analysis that the rules of
// every run read, computed once per Evaluate on first use. Runs are
// evaluated concurrently: mu guards every field.
type analysisFacts struct {
	mu       sync.Mutex
	siblings map[*correlate.Run][]*correlate.Run
	sibIndex *model.SiblingIndex
	// kindTops are each run's sibling with the most names of a kind
	// (mostOfKind), by kind and patterns (kindKey without a run).
	kindTops map[kindKey]*model.SiblingTops
	bodies   *model.Measurement
	// inputs is the parse audit indexed by path and by run.
	inputs *inputIndex
	// kindRows counts, per run and excluded kind, its request names of
	// that kind (kindCount), for the checks that compare a run with every
	// sibling.
	kindRows map[kindKey]int
	// dbTracebacks is database-unreachable's judgement of tracebacks,
	// shared by every run's pass (correlate.TracebackMemo).
	dbTracebacks *correlate.TracebackMemo[string]
}

type kindKey struct {
	run      *correlate.Run
	kind     string
	patterns uintptr // the rule's kind_patterns (its map's identity; 0: none)
}

// dbTracebackMemo is the analysis' memo of dbUnreachableIn over
// tracebacks; a run's pass takes a Pass of it.
func (ctx *Context) dbTracebackMemo() *correlate.TracebackMemo[string] {
	if ctx.all == nil {
		ctx.all = &analysisFacts{}
	}
	ctx.all.mu.Lock()
	defer ctx.all.mu.Unlock()
	if ctx.all.dbTracebacks == nil {
		ctx.all.dbTracebacks = &correlate.TracebackMemo[string]{}
	}
	return ctx.all.dbTracebacks
}

// kindCount is len(kindRows(patterns, r, kind)), counted once per
// analysis.
func (ctx *Context) kindCount(patterns map[string]string, r *correlate.Run, kind string) int {
	if ctx.all == nil {
		ctx.all = &analysisFacts{}
	}
	ctx.all.mu.Lock()
	if ctx.all.kindRows == nil {
		ctx.all.kindRows = map[kindKey]int{}
	}
	ctx.all.mu.Unlock()
	k := kindKey{r, kind, reflect.ValueOf(patterns).Pointer()}
	all := ctx.all
	all.mu.Lock()
	n, ok := all.kindRows[k]
	all.mu.Unlock()
	if !ok {
		// Counted outside the lock: the count is the same whoever
		// computes it first.
		n = len(kindRows(patterns, r, kind))
		all.mu.Lock()
		all.kindRows[k] = n
		all.mu.Unlock()
	}
	return n
}

// measure is what the response bodies of every run say (model.Measure),
// with the reference runs learned across the analysis.
func (ctx *Context) measure() *model.Measurement {
	if ctx.all == nil {
		ctx.all = &analysisFacts{}
	}
	ctx.all.mu.Lock()
	defer ctx.all.mu.Unlock()
	if ctx.all.bodies == nil {
		ctx.all.bodies = model.Measure(ctx.Analysis)
	}
	return ctx.all.bodies
}

// inputIndex is the parse audit (Analysis.Sources) as runSources reads
// it, indexed once per analysis: each run looked through every input of
// the folder (2,815 runs × 11,266 files in the 1 GB bench folder).
type inputIndex struct {
	formatOf map[string]string    // each input's format, by path
	byRun    map[string][]runFile // the inputs the audit gave each run, in its order
}

// runFile is an input the audit gave a run.
type runFile struct{ path, format string }

// inputIndex is the analysis' inputIndex, built on first use.
func (ctx *Context) inputIndex() *inputIndex {
	if ctx.all == nil {
		ctx.all = &analysisFacts{}
	}
	ctx.all.mu.Lock()
	defer ctx.all.mu.Unlock()
	if ctx.all.inputs == nil {
		ix := &inputIndex{formatOf: map[string]string{}, byRun: map[string][]runFile{}}
		if ctx.Analysis != nil {
			for _, s := range ctx.Analysis.Sources {
				ix.formatOf[s.Path] = s.Format
				if s.Run != "" {
					ix.byRun[s.Run] = append(ix.byRun[s.Run], runFile{s.Path, s.Format})
				}
			}
		}
		ctx.all.inputs = ix
	}
	return ctx.all.inputs
}

// bodies are the run's own (never nil: an empty Bodies when unknown).
func (ctx *Context) bodies() *model.Bodies {
	if b := ctx.measure().Of(ctx.Run); b != nil {
		return b
	}
	return &model.Bodies{Run: ctx.Run}
}

// scenarioFacts answers which runs are a run's scenario (model.SameScenario).
type scenarioFacts struct{ ctx *Context }

func (ctx *Context) scenario() scenarioFacts {
	if ctx.all == nil {
		ctx.all = &analysisFacts{}
	}
	return scenarioFacts{ctx}
}

// index is the analysis' SiblingIndex, built on first use; all.mu held.
func (s scenarioFacts) index() *model.SiblingIndex {
	all := s.ctx.all
	if all.sibIndex == nil {
		var runs []*correlate.Run
		if s.ctx.Analysis != nil {
			runs = s.ctx.Analysis.Runs
		}
		all.sibIndex = model.NewSiblingIndex(runs)
		all.siblings = map[*correlate.Run][]*correlate.Run{}
	}
	return all.sibIndex
}

// siblings are the other runs of r's scenario, in the analysis' order
// (made on first asking: thousands of runs of one scenario are millions
// of pairs, and most checks ask only has or mostOfKind).
func (s scenarioFacts) siblings(r *correlate.Run) []*correlate.Run {
	all := s.ctx.all
	all.mu.Lock()
	defer all.mu.Unlock()
	x := s.index()
	if sib, ok := all.siblings[r]; ok {
		return sib
	}
	sib, ok := x.Of(r)
	if !ok {
		// A run outside the analysis (a test's hand-built one).
		sib = model.Siblings(x.Runs(), r)
	}
	all.siblings[r] = sib
	return sib
}

// has reports whether r has a sibling.
func (s scenarioFacts) has(r *correlate.Run) bool {
	all := s.ctx.all
	all.mu.Lock()
	has, ok := s.index().Has(r)
	all.mu.Unlock()
	if ok {
		return has
	}
	return len(s.siblings(r)) > 0
}

// mostOfKind is r's sibling with the most request names of kind
// (kindRows under patterns), the first of them in the analysis' order, and
// that count; "" and 0 when no sibling has any. The counts of every run
// are made once per (patterns, kind), and each run's answer read per
// class of facts (model.SiblingTops), not by walking its siblings.
func (s scenarioFacts) mostOfKind(patterns map[string]string, r *correlate.Run, kind string) (int, string) {
	all := s.ctx.all
	key := kindKey{kind: kind, patterns: reflect.ValueOf(patterns).Pointer()}
	all.mu.Lock()
	x := s.index()
	tops := all.kindTops[key]
	all.mu.Unlock()
	if tops == nil {
		// Counted outside the lock: the counts are the same whoever
		// makes them first.
		score := make([]int, x.Len())
		for i, o := range x.Runs() {
			score[i] = len(kindRows(patterns, o, kind))
		}
		tops = x.Tops(score)
		all.mu.Lock()
		if all.kindTops == nil {
			all.kindTops = map[kindKey]*model.SiblingTops{}
		}
		all.kindTops[key] = tops
		all.mu.Unlock()
	}
	if best, n, ok := tops.Best(r); ok {
		if best == nil {
			return 0, ""
		}
		return n, best.Name
	}
	ref, refRun := 0, "" // a run outside the analysis
	for _, o := range s.siblings(r) {
		if n := s.ctx.kindCount(patterns, o, kind); n > ref {
			ref, refRun = n, o.Name
		}
	}
	return ref, refRun
}

// paramsOf returns the typed parameters of rule id: those of the set being
// evaluated, else the built-in rule's (a fact one rule computes with
// another's parameters, as go/analysis passes one analyzer's result to
// another). nil when no such rule exists.
func (ctx *Context) paramsOf(id string) any {
	if ctx.set != nil {
		if r, ok := ctx.set.byID[id]; ok && r.params != nil {
			return r.params
		}
	}
	builtinOnce.Do(func() { builtinSet, _ = Load(true, nil) })
	if builtinSet != nil {
		if r, ok := builtinSet.byID[id]; ok {
			return r.params
		}
	}
	return nil
}

var (
	builtinOnce sync.Once
	builtinSet  *Set
)
