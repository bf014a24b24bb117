package rules_test

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/rules"
)

// The rules' fixture and corpus tests read files through the real stages,
// with the CLI's defaults (zones inferred, as a user would run it).
func init() {
	rules.SetPipeline(func(paths []string) (*correlate.Analysis, error) {
		return pipeline.Analyze(correlate.Options{}, paths...)
	})
}
