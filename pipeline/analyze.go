package pipeline

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/rules"
)

// Analyze runs discover → parse → correlate over paths with the CLI's
// default parse options and opt for correlation: the analysis the rules
// stage would read. It is what end-to-end tests of the later stages start
// from. The dataset is not released: the analysis may read its columns.
func Analyze(opt correlate.Options, paths ...string) (*correlate.Analysis, error) {
	res, err := Run(Request{Paths: paths, Correlate: opt, Until: Correlated})
	if err != nil {
		return nil, err
	}
	return res.Analysis, nil
}

// Diagnose runs the whole pipeline over paths with the CLI's defaults and
// the built-in rules: what `logcorr analyze PATHS` reports.
func Diagnose(paths ...string) (*Result, error) {
	set, err := rules.Load(true, nil)
	if err != nil {
		return nil, err
	}
	return Run(Request{Paths: paths, Rules: set})
}
