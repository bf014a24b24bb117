package report_test

import (
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
)

// report's end-to-end tests run the real stages (ahspAnalysis,
// sampleDiagnosis).
func init() { report.Pipeline = pipeline.Analyze }
