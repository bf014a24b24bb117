package pipeline

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/report/quote"
)

// Quote reads every cited line back from its file, by position: the
// findings' evidence, the runs' links and their clusters' examples. It is
// the first step of the report stage (Write calls it; a writer of its own,
// as export is, calls it before writing); later calls do nothing.
func (r *Result) Quote() {
	if r.quoted || r.Dataset == nil {
		return
	}
	r.quoted = true
	var reqs []quote.Request
	for _, fs := range r.Findings {
		for i := range fs {
			for j := range fs[i].Evidence {
				ev := &fs[i].Evidence[j]
				if ev.At == nil {
					continue
				}
				reqs = append(reqs, quote.Request{Pos: ev.At.Pos, ByPath: ev.At.ByPath, Path: ev.File, Set: ev.Quote})
			}
		}
	}
	ref := func(x *correlate.Ref) {
		if x != nil && x.At != nil {
			reqs = append(reqs, quote.Request{Pos: *x.At, Set: x.Quote})
		}
	}
	if r.Analysis != nil {
		for _, run := range r.Analysis.Runs {
			for i := range run.Chains {
				c := &run.Chains[i]
				for _, x := range []*correlate.Ref{&c.Anchor, c.Locust, c.AuthResponse, c.ServerError, c.Traceback, c.Pooler} {
					ref(x)
				}
			}
			for i := range run.Clusters {
				for j := range run.Clusters[i].Examples {
					ref(&run.Clusters[i].Examples[j])
				}
			}
		}
	}
	msgs := quote.Resolve(r.Dataset.Files, r.noRedact, reqs)
	if r.Analysis != nil {
		r.Analysis.Messages = append(r.Analysis.Messages, msgs...)
	}
}
