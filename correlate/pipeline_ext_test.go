package correlate_test

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/pipeline"
)

// correlate's end-to-end tests run the real stages (analyzeDir).
func init() { correlate.Pipeline = pipeline.Analyze }
