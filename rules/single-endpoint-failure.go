package rules

import (
	"fmt"

	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// singleEndpointFailure: one endpoint fails while the rest are clean.
var singleEndpointFailure = &Check[singleEndpointFailureParams]{
	ID:    "single-endpoint-failure",
	Doc:   "one endpoint fails while the rest are clean",
	Needs: []Need{{SrcStats}},
	Run:   runSingleEndpointFailure,
}

func init() { register(singleEndpointFailure) }

type singleEndpointFailureParams struct {
	MinRequests  int64   `yaml:"min_requests"`  // rows with fewer are left out
	FailingRatio float64 `yaml:"failing_ratio"` // the failing row fails at least this
	CleanRatio   float64 `yaml:"clean_ratio"`   // clean rows fail at most this
	MinClean     int     `yaml:"min_clean"`     // clean rows needed
}

func runSingleEndpointFailure(ctx *Context, p *singleEndpointFailureParams) []Finding {
	r := ctx.Run
	minReq := p.MinRequests
	hi, lo := p.FailingRatio, p.CleanRatio
	var failing, clean []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.Requests < minReq {
			continue
		}
		ratio := float64(s.Failures) / float64(s.Requests)
		switch {
		case ratio >= hi:
			failing = append(failing, s)
		case ratio <= lo:
			clean = append(clean, s)
		default:
			return nil // failures spread over endpoints: not one endpoint's bug
		}
	}
	if len(failing) != 1 || len(clean) < p.MinClean {
		return nil
	}
	s := failing[0]
	f := Finding{
		Category:   "test-validity",
		Confidence: 0.75,
		Summary: fmt.Sprintf("%s failed %d of %d times (%.0f%%) while %d other request names with at least %d requests stayed at or below %.0f%% failures.",
			rowLabel(s), s.Failures, s.Requests, pct(s.Failures, s.Requests), len(clean), minReq, lo*100),
		Interpretation: "Failures confined to one endpoint under the same load point at that endpoint (its code, its data, or the request the locustfile sends it), not at shared infrastructure such as the database pool.",
		Recommendation: "Read the failures and server tracebacks for this endpoint and test it alone.",
		Metrics:        map[string]float64{"failure_pct": pct(s.Failures, s.Requests), "clean_names": float64(len(clean))},
	}
	f.Evidence = append(f.Evidence, StatEvidence(s))
	for _, fr := range model.FailureRows(r) {
		if fr.Name == s.Name {
			f.Evidence = append(f.Evidence, FailureEvidence(fr))
		}
	}
	sortRowsByRequests(clean)
	for _, c := range clean {
		f.Evidence = append(f.Evidence, noted(StatEvidence(c), "clean"))
	}
	return []Finding{f}
}
