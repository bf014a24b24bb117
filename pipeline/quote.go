package pipeline

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/report/quote"
)

// Quote reads every cited line the reports show back from its file, by
// position: the findings' evidence and the top clusters' examples. It is the
// first step of the report stage (Write calls it); later calls do nothing.
func (r *Result) Quote() { r.quote(false) }

// QuoteClusters is Quote and the examples of every cluster of every run
// too (the dataset export writes them all; the lines of its links, one
// per server error, it reads back itself a slice at a time, so a storm's
// are never all held at once).
func (r *Result) QuoteClusters() { r.quote(true) }

func (r *Result) quote(all bool) {
	if r.Dataset == nil || r.quoted && (r.clustersQuoted || !all) {
		return
	}
	first := !r.quoted
	r.quoted, r.clustersQuoted = true, r.clustersQuoted || all
	var reqs []quote.Request
	for _, fs := range r.Findings {
		if !first {
			break
		}
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
			// The reports show the top clusters' examples; the export
			// writes every cluster's.
			for i := range run.Clusters {
				if top := i < report.TopClusters; top && !first || !top && !all {
					continue
				}
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
